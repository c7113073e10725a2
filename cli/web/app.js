// gongwen serve: the workbench's page. No framework, nothing fetched but from this server.
'use strict';

const TOKEN = document.querySelector('meta[name="gongwen-token"]').content;
const $ = (id) => document.getElementById(id);

const state = {
  report: '',        // the report's folder, relative to the served one
  files: [],         // {name, text (on disk), mtime, error, ta, mirror, tab, box}
  current: null,     // the file shown
  pages: [],         // what is drawn: {svg, el, runs}
  files_of_runs: [], // the result's file names, which runs index
  inflight: false,   // a render asked for and not answered
  again: false,      // the text changed meanwhile
  timer: 0,
  lastOk: null,
};

// ---- the server ---------------------------------------------------------------------------

async function post(path, fields) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  return fetch(path, {
    method: 'POST',
    headers: {'X-Gongwen-Token': TOKEN, 'Content-Type': 'application/x-www-form-urlencoded'},
    body,
  });
}

function editedFields() {
  const fields = {report: state.report};
  for (const f of state.files) if (f.ta) fields['f:' + f.name] = f.ta.value;
  return fields;
}

function setStatus(text, error) {
  $('status').textContent = text;
  $('status').classList.toggle('error', !!error);
}

// ---- the editor ---------------------------------------------------------------------------

function lineOf(ta) {
  return ta.value.slice(0, ta.selectionStart).split('\n').length;
}

function drawMirror(f) {
  const lines = f.ta.value.split('\n');
  const m = f.mirror;
  while (m.childElementCount > lines.length) m.lastElementChild.remove();
  while (m.childElementCount < lines.length) m.appendChild(document.createElement('div'));
  for (let i = 0; i < lines.length; i++) {
    const div = m.children[i];
    const text = lines[i] === '' ? '\u200b' : lines[i];
    if (div.textContent !== text) div.textContent = text;
  }
  markCurrent(f);
}

function markCurrent(f) {
  const line = lineOf(f.ta);
  const old = f.mirror.querySelector('.cur');
  if (old) old.classList.remove('cur');
  const div = f.mirror.children[line - 1];
  if (div) div.classList.add('cur');
  highlightRuns(f.name, line);
}

function showFile(f) {
  state.current = f;
  for (const g of state.files) {
    g.box.hidden = g !== f;
    g.tab.setAttribute('aria-selected', g === f ? 'true' : 'false');
  }
}

// Move the editor to `line`:`col` of file `name` (1-based), and flash the line.
function goTo(name, line, col) {
  const f = state.files.find((g) => g.name === name);
  if (!f || !f.ta) return false;
  showFile(f);
  const lines = f.ta.value.split('\n');
  line = Math.max(1, Math.min(line || 1, lines.length));
  let offset = 0;
  for (let i = 0; i < line - 1; i++) offset += lines[i].length + 1;
  offset += Math.max(0, Math.min((col || 1) - 1, lines[line - 1].length));
  f.ta.focus({preventScroll: true});
  f.ta.setSelectionRange(offset, offset);
  const div = f.mirror.children[line - 1];
  if (div) {
    f.box.scrollTop = Math.max(0, div.offsetTop - f.box.clientHeight / 3);
    div.classList.add('flash');
    setTimeout(() => div.classList.remove('flash'), 900);
  }
  markCurrent(f);
  return true;
}

function updateDirty() {
  let dirty = false;
  for (const f of state.files) {
    if (!f.ta) continue;
    const d = f.ta.value !== f.text;
    f.tab.classList.toggle('dirty', d);
    dirty = dirty || d;
  }
  $('save').disabled = !dirty;
  return dirty;
}

function addFile(f) {
  const tab = document.createElement('button');
  tab.type = 'button';
  tab.setAttribute('role', 'tab');
  tab.textContent = f.name;
  tab.addEventListener('click', () => showFile(f));
  $('tabs').appendChild(tab);
  const box = document.createElement('div');
  box.className = 'editor';
  box.dataset.file = f.name;
  f.tab = tab;
  f.box = box;
  if (f.error !== undefined) {
    const note = document.createElement('p');
    note.className = 'note';
    note.textContent = f.name + '：' + f.error;
    box.appendChild(note);
  } else {
    const area = document.createElement('div');
    area.className = 'area';
    const mirror = document.createElement('div');
    mirror.className = 'mirror';
    mirror.setAttribute('aria-hidden', 'true');
    const ta = document.createElement('textarea');
    ta.spellcheck = false;
    ta.setAttribute('aria-label', f.name);
    ta.value = f.text;
    area.append(mirror, ta);
    box.appendChild(area);
    f.ta = ta;
    f.mirror = mirror;
    ta.addEventListener('input', () => {
      drawMirror(f);
      updateDirty();
      scheduleRender();
    });
    for (const ev of ['keyup', 'click', 'focus']) ta.addEventListener(ev, () => markCurrent(f));
    ta.addEventListener('keydown', (e) => {
      // a table's cells are separated by tabs: Tab types one (Ctrl+Tab, Esc then Tab leave)
      if (e.key === 'Tab' && !e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey && !f.escaped) {
        e.preventDefault();
        document.execCommand('insertText', false, '\t');
      }
      f.escaped = e.key === 'Escape';
    });
  }
  $('editors').appendChild(box);
  state.files.push(f);
  if (f.ta) drawMirror(f);
}

// ---- the pages ----------------------------------------------------------------------------

function scheduleRender() {
  clearTimeout(state.timer);
  state.timer = setTimeout(render, 250);
}

async function render() {
  if (state.inflight) {
    state.again = true;
    return;
  }
  state.inflight = true;
  state.again = false;
  setStatus('排版中…');
  try {
    const res = await post('/api/render', editedFields());
    const r = await res.json();
    if (!r.superseded) showResult(r, res.status);
  } catch (e) {
    setStatus('连接工作台失败：' + e.message, true);
  }
  state.inflight = false;
  if (state.again) render();
}

function showResult(r, status) {
  if (status !== 200 || r.ok === undefined) {
    setStatus(r.error || ('出错（HTTP ' + status + '）'), true);
    return;
  }
  const diags = (r.error ? [r.error] : []).concat(r.diags || []);
  showDiags(diags);
  if (!r.ok) {
    $('stale').hidden = state.pages.length === 0;
    const e = r.error || {};
    setStatus('排版出错' + (e.file ? '：' + place(e) : ''), true);
    document.body.dataset.state = 'error';
    return;
  }
  $('stale').hidden = true;
  state.files_of_runs = r.files;
  drawPages(r.pages);
  const warnings = diags.filter((d) => d.severity === 'warning').length;
  setStatus(r.pages.length + ' 页 · ' + r.ms + ' 毫秒' + (warnings ? ' · ' + warnings + ' 条警告' : ''));
  document.body.dataset.state = 'ok';
  document.body.dataset.rendered = String(Number(document.body.dataset.rendered || 0) + 1);
  if (state.current && state.current.ta) highlightRuns(state.current.name, lineOf(state.current.ta));
}

function place(d) {
  return d.file + (d.line ? ':' + d.line + (d.col ? ':' + d.col : '') : '');
}

function showDiags(diags) {
  const list = $('diaglist');
  list.replaceChildren();
  $('diagcount').textContent = diags.length ? '（' + diags.length + '）' : '';
  if (diags.length === 0) {
    const li = document.createElement('li');
    li.className = 'none';
    li.textContent = '没有问题。';
    list.appendChild(li);
    return;
  }
  for (const d of diags) {
    const li = document.createElement('li');
    li.className = d.severity;
    if (d.file) {
      const a = document.createElement('a');
      a.textContent = place(d);
      a.title = '转到这一行';
      a.addEventListener('click', () => goTo(d.file, d.line, d.col));
      li.appendChild(a);
    }
    const sev = document.createElement('span');
    sev.className = 'sev';
    sev.textContent = d.severity === 'error' ? '错误' : '警告';
    li.append(sev, document.createTextNode(d.message));
    list.appendChild(li);
  }
}

function pageElement() {
  const fig = document.createElement('figure');
  fig.className = 'page';
  const sheet = document.createElement('div');
  sheet.className = 'sheet';
  const img = document.createElement('img');
  img.alt = '';
  const tl = document.createElement('div');
  tl.className = 'tl';
  sheet.append(img, tl);
  const cap = document.createElement('figcaption');
  fig.append(sheet, cap);
  return fig;
}

function drawPages(pages) {
  const box = $('pages');
  while (state.pages.length > pages.length) state.pages.pop().el.remove();
  pages.forEach((p, i) => {
    let shown = state.pages[i];
    if (!shown) {
      shown = {svg: null, el: pageElement()};
      state.pages.push(shown);
      box.appendChild(shown.el);
      resizer.observe(shown.el.firstChild);
    }
    const sheet = shown.el.firstChild;
    sheet.style.aspectRatio = p.w + ' / ' + p.h;
    sheet.dataset.w = p.w;
    shown.el.lastChild.textContent = '第 ' + (i + 1) + ' 页' + (p.numbered ? ' · 页码 ' + p.number : '');
    shown.el.dataset.page = String(i + 1);
    if (shown.svg !== p.svg) {
      shown.svg = p.svg;
      sheet.firstChild.src = '/api/page/' + p.svg + '.svg';
    }
    drawRuns(sheet.lastChild, p);
    scale(sheet);
  });
}

function drawRuns(tl, p) {
  const spans = [];
  for (const [x, top, w, size, file, line, text, turns] of p.runs) {
    const s = document.createElement('span');
    s.textContent = text;
    s.style.left = (100 * x / p.w) + '%';
    s.style.top = (100 * top / p.h) + '%';
    if (turns % 2 === 0) {
      s.style.width = (100 * w / p.w) + '%';
      s.style.height = (100 * size / p.h) + '%';
    }
    s.style.fontSize = 'calc(var(--k) * ' + size + 'px)';
    if (file >= 0) {
      s.dataset.file = state.files_of_runs[file];
      s.dataset.line = line;
      s.title = state.files_of_runs[file] + ' 第 ' + line + ' 行';
    }
    spans.push(s);
  }
  tl.replaceChildren(...spans);
}

function scale(sheet) {
  const w = Number(sheet.dataset.w);
  if (w > 0) sheet.style.setProperty('--k', String(sheet.clientWidth / w));
}

const resizer = new ResizeObserver((entries) => {
  for (const e of entries) scale(e.target);
});

function highlightRuns(name, line) {
  for (const s of document.querySelectorAll('.tl span.hl')) s.classList.remove('hl');
  for (const s of document.querySelectorAll('.tl span[data-line="' + line + '"]'))
    if (s.dataset.file === name) s.classList.add('hl');
}

$('pages').addEventListener('click', (e) => {
  const s = e.target.closest('.tl span');
  if (s && s.dataset.file && window.getSelection().isCollapsed)
    goTo(s.dataset.file, Number(s.dataset.line), 1);
});

// ---- saving and downloads -----------------------------------------------------------------

async function save() {
  let saved = 0;
  for (const f of state.files) {
    if (!f.ta || f.ta.value === f.text) continue;
    const text = f.ta.value;
    let res = await post('/api/save', {report: state.report, file: f.name, text, mtime: f.mtime});
    let r = await res.json();
    if (res.status === 409) {
      const again = window.confirm('“' + f.name + '”在打开之后被其他程序修改过。\n' +
                                   '用编辑器里的内容覆盖它吗？（取消则不保存这个文件）');
      if (!again) continue;
      res = await post('/api/save', {report: state.report, file: f.name, text, mtime: f.mtime, force: '1'});
      r = await res.json();
    }
    if (!res.ok) {
      setStatus('保存 ' + f.name + ' 失败：' + (r.error || res.status), true);
      return;
    }
    f.text = text;
    f.mtime = r.mtime;
    saved++;
  }
  updateDirty();
  if (saved) setStatus('已保存 ' + saved + ' 个文件');
}

async function download(format) {
  setStatus('正在生成 ' + format.toUpperCase() + '…');
  const res = await post('/api/export', Object.assign(editedFields(), {format}));
  if (!res.ok) {
    const r = await res.json().catch(() => ({}));
    setStatus('导出失败：' + (r.error || res.status), true);
    return;
  }
  const blob = await res.blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  const name = (document.title.split(' — ')[0] || 'report') + '.' + format;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  setStatus('已生成 ' + name);
}

// ---- the list of reports and a new one ----------------------------------------------------

function showHome(info) {
  $('home').hidden = false;
  $('folder').textContent = info.folder;
  $('crumb').textContent = info.folder;
  const list = $('reports');
  for (const r of info.reports) {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = '?r=' + encodeURIComponent(r);
    a.textContent = r;
    li.appendChild(a);
    list.appendChild(li);
  }
  $('noreports').hidden = info.reports.length > 0;
  const form = $('newform');
  form.year.value = String(new Date().getFullYear() - 1);
  const annual = () => {
    for (const l of form.querySelectorAll('.annual')) l.hidden = form.kind.value !== 'annual-report';
  };
  form.kind.addEventListener('change', annual);
  annual();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const fields = {kind: form.kind.value, dir: form.dir.value.trim()};
    if (form.kind.value === 'annual-report') {
      fields.year = form.year.value.trim();
      fields.organ = form.organ.value.trim();
    }
    const res = await post('/api/new', fields);
    const r = await res.json();
    if (res.ok) {
      location.href = '?r=' + encodeURIComponent(fields.dir);
    } else {
      $('newerror').hidden = false;
      $('newerror').textContent = r.error;
    }
  });
}

async function openReport(report) {
  const res = await fetch('/api/files?report=' + encodeURIComponent(report));
  const r = await res.json();
  if (!res.ok) {
    setStatus(r.error, true);
    return;
  }
  state.report = report;
  document.title = r.name + ' — 公文工作台';
  $('crumb').textContent = r.name;
  $('bench').hidden = false;
  $('actions').hidden = false;
  for (const f of r.files) addFile(f);
  showFile(state.files[0]);
  showDiags([]);
  render();
}

window.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && e.key === 's') {
    e.preventDefault();
    if (!$('save').disabled) save();
  }
});
window.addEventListener('beforeunload', (e) => {
  if (updateDirty()) {
    e.preventDefault();
    e.returnValue = '';
  }
});
function setZoom(zoom) {
  $('right').classList.toggle('fit-page', zoom === 'page');
  for (const b of document.querySelectorAll('#zoom button'))
    b.setAttribute('aria-pressed', b.dataset.zoom === zoom ? 'true' : 'false');
  try { localStorage.setItem('gongwen-zoom', zoom); } catch (e) { /* private mode */ }
}
for (const b of document.querySelectorAll('#zoom button'))
  b.addEventListener('click', () => setZoom(b.dataset.zoom));
setZoom((() => { try { return localStorage.getItem('gongwen-zoom'); } catch (e) { return null; } })() || 'width');

$('save').addEventListener('click', save);
$('pdf').addEventListener('click', () => download('pdf'));
$('ofd').addEventListener('click', () => download('ofd'));

(async () => {
  const info = await (await fetch('/api/info')).json();
  const wanted = new URLSearchParams(location.search).get('r');
  if (info.single) openReport('');
  else if (wanted !== null) openReport(wanted);
  else showHome(info);
})();

#!/usr/bin/env python3
"""TAP: the annual report's prescribed forms (issue 19): tables recognised as (or declared to
be) the 2021 and 2019 forms get their 勾稽 rules without a .rules file; a label that differs
from the form's, a row missing, added or out of order is a warning naming the form's label;
blank cells are counted as 0 with a warning (an error with blank=error, always for a 总计),
“—” is reported where a rule needs it; .rules files name columns by header paths. `gongwen
new` writes an annual report (2021 or 2019 form, --previous) and a 通知 that render and pass
check as written; the PDF holds every label of the three tables in order (listed here, not
taken from gongwen's source), read back with tests/pdfread.py."""
import os, re, shutil, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdftap import BIN, SRC, check, finish, gw, rendered_pagecheck, in_order, squash, txt  # noqa: E402
import pagecheck  # noqa: E402
import pdfread  # noqa: E402

T = tempfile.mkdtemp(prefix="gongwen-test-forms-")
SAMPLE = os.path.join(SRC, "reports", "sample-2019-format")
FORMS_2019 = os.path.join(SRC, "tests", "fixtures", "tables", "forms-2019")
DIAG = re.compile(r"^(.+?):(\d+):(\d+): (error|warning): (.*)$")


def diagnostics(stderr):
    """(file, line, col, severity, message) of each diagnostic line."""
    out = []
    for line in txt(stderr).splitlines():
        m = DIAG.match(line)
        if m:
            out.append((m.group(1), int(m.group(2)), int(m.group(3)), m.group(4), m.group(5)))
    return out


def copy_sample(name, rules=False):
    """A copy of the 2019-format sample (its three tables in the 2021 shape), without its
    .rules file unless `rules`."""
    folder = os.path.join(T, name)
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(SAMPLE, folder)
    if not rules:
        os.remove(os.path.join(folder, "apply.rules"))
    return folder


def edit(folder, name, fn):
    path = os.path.join(folder, name)
    with open(path, encoding="utf-8") as f:
        rows = [r.split("\t") for r in f.read().rstrip("\n").split("\n")]
    fn(rows)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join("\t".join(r) for r in rows) + "\n")
    return path


def row_of(rows, label):
    """The index of the row holding a cell `label`."""
    return next(i for i, r in enumerate(rows) if label in r)


def forms_of(folder):
    p = gw("dump", "--stage=doc", folder)
    return re.findall(r"^table \S+ .*? form=(\S+)", txt(p.stdout), re.M)


@check("forms: the sample's three tables are recognised as the 2021 forms, the 2019 fixture's "
       "as the 2019 ones (table 四 is the same); check is clean without the .rules file")
def _():
    d = []
    if forms_of(SAMPLE) != ["2021-active", "2021-apply", "2021-review"]:
        d.append("sample: %s" % forms_of(SAMPLE))
    if forms_of(FORMS_2019) != ["2019-active", "2019-apply", "2021-review"]:
        d.append("forms-2019: %s" % forms_of(FORMS_2019))
    for folder in (copy_sample("clean"), FORMS_2019):
        p = gw("check", folder)
        if p.returncode != 0 or diagnostics(p.stderr):
            d.append("check %s: exit %d, %s" % (folder, p.returncode, diagnostics(p.stderr)))
    flagship = gw("dump", "--stage=doc", os.path.join(SRC, "reports", "guizhou-commerce-2017"))
    if "form=" in txt(flagship.stdout):
        d.append("the flagship's statistics table is taken for a form")
    return d


@check("forms: a figure that no longer adds up is an error at file:line:col with no .rules "
       "file (the row's 总计 and the column's （七）总计), exit 1")
def _():
    folder = copy_sample("sum")
    holder = {}

    def change(rows):
        i = row_of(rows, "（一）予以公开")
        holder["line"] = i + 1
        rows[i][3] = str(int(rows[i][3]) + 1)   # 自然人: 18 -> 19
    path = edit(folder, "apply.tsv", change)
    p = gw("check", folder)
    errors = [x for x in diagnostics(p.stderr) if x[3] == "error"]
    want = {(path, holder["line"], 10), (path, 27, 4)}   # 总计 of the row; （七）总计, 自然人
    got = {(f, l, c) for f, l, c, _, _ in errors}
    d = []
    if p.returncode != 1 or got != want:
        d.append("exit %d, errors at %s, want %s" % (p.returncode, sorted(got), sorted(want)))
    if not any("do not add up in row “（一）予以公开”" in e[4] and "(26 ≠ 27" in e[4]
               for e in errors):
        d.append("the row's error does not name the row and both sums: %s" % errors)
    review = copy_sample("sum-review")
    rpath = edit(review, "review.tsv", lambda rows: rows[3].__setitem__(12, "5"))
    p = gw("check", review)
    errors = [x[:3] for x in diagnostics(p.stderr) if x[3] == "error"]
    if p.returncode != 1 or errors != [(rpath, 4, 15)]:   # at 复议后起诉's 总计
        d.append("table 四, 复议后起诉's 其他结果 changed: exit %d, %s" % (p.returncode, errors))
    return d


@check("forms: a blank figure is a warning naming the cell and counted as 0; blank=error "
       "makes it an error; a blank 总计 is always an error; “—” is reported as not stated; "
       "more than three alike are one warning")
def _():
    d = []
    folder = copy_sample("blank")
    path = edit(folder, "apply.tsv", lambda rows: rows[row_of(rows, "2.重复申请")].__setitem__(5, ""))
    p = gw("check", folder)
    found = diagnostics(p.stderr)
    if p.returncode != 0 or [x[:4] for x in found] != [(path, 20, 6, "warning")] \
            or "blank cell in row “2.重复申请”, column “科研机构”: counted as 0" not in found[0][4]:
        d.append("a blank cell: exit %d, %s" % (p.returncode, found))
    rep = os.path.join(folder, "report.txt")
    text = open(rep, encoding="utf-8").read()
    open(rep, "w", encoding="utf-8").write(text.replace("header=3 收到", "header=3 blank=error 收到"))
    p = gw("check", folder)
    found = diagnostics(p.stderr)
    if p.returncode != 1 or [x[:4] for x in found] != [(path, 20, 6, "error")]:
        d.append("blank=error: exit %d, %s" % (p.returncode, found))
    folder = copy_sample("blank-total")
    path = edit(folder, "apply.tsv", lambda rows: rows[row_of(rows, "（七）总计")].__setitem__(9, ""))
    p = gw("check", folder)
    found = diagnostics(p.stderr)
    if p.returncode != 1 or (path, 27, 10, "error") not in [x[:4] for x in found] \
            or not any("blank 总计" in x[4] for x in found):
        d.append("a blank 总计: exit %d, %s" % (p.returncode, found))
    folder = copy_sample("dash")
    path = edit(folder, "apply.tsv", lambda rows: rows[row_of(rows, "2.重复申请")].__setitem__(3, "—"))
    p = gw("check", folder)
    found = diagnostics(p.stderr)
    if p.returncode != 0 or not found or found[0][:4] != (path, 20, 4, "warning") \
            or "is a figure not stated" not in found[0][4]:
        d.append("“—” where a rule needs a figure: exit %d, %s" % (p.returncode, found))
    # many alike are one warning, at the first, naming the first three
    for name, label, cells, line, want in (
            ("dashes", "2.重复申请", ["—"] * 6, 20,
             "6 figures not stated (at 20:4, 20:5, 20:6 and 3 more)"),
            ("blanks", "3.要求提供公开出版物", [""] * 4, 21,
             "4 blank cells counted as 0 (at 21:4, 21:5, 21:6 and 1 more)")):
        folder = copy_sample(name)
        path = edit(folder, "apply.tsv", lambda rows: rows[row_of(rows, label)].__setitem__(
            slice(3, 3 + len(cells)), cells))
        p = gw("check", folder)
        found = [x for x in diagnostics(p.stderr) if x[0] == path]
        if p.returncode != 0 or len(found) != 1 or found[0][:4] != (path, line, 4, "warning") \
                or want not in found[0][4]:
            d.append("%s in a row: exit %d, %s" % (name, p.returncode, found))
    return d


@check("forms: a form typed only in part (its header and first rows) is still the form; the "
       "rows missing after it are one warning")
def _():
    d = []
    folder = copy_sample("cut-short")
    path = edit(folder, "apply.tsv", lambda rows: rows.__delitem__(slice(row_of(rows, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"), None)))
    p = gw("check", folder)
    found = [x for x in diagnostics(p.stderr) if x[0] == path]
    missing = [x for x in found if "rows after this one that are missing" in x[4]]
    if len(missing) != 1 or "table 三 of the 2021 form has 22 rows after this one" not in missing[0][4] \
            or "“四、结转下年度继续办理”" not in missing[0][4]:
        d.append("table 三 cut after （一）: %s" % found[:4])
    return d


@check("forms: a label typo, a missing row, a row out of order and a row the form lacks are "
       "warnings naming the form's label at the cell")
def _():
    folder = copy_sample("labels")

    def change(rows):
        i = row_of(rows, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")
        rows[i][1] = rows[i][1].replace("情形，不计", "情况，不计")
        j = row_of(rows, "4.无正当理由大量反复申请")
        rows[j], rows[j + 1] = rows[j + 1], rows[j]
        k = row_of(rows, "2.其他法律行政法规禁止公开")
        del rows[k]
        rows.insert(len(rows) - 1, ["^", "（八）其他情况", "<"] + ["0"] * 7)
    path = edit(folder, "apply.tsv", change)
    p = gw("check", folder)
    found = diagnostics(p.stderr)
    d = []
    want = [(7, 2, "is not the form's label: table 三 of the 2021 form has "
                   "“（二）部分公开（区分处理的，只计这一情形，不计其他情形）” here"),
            (9, 3, "has the row “三、本年度办理结果 / （三）不予公开 / 2.其他法律行政法规禁止公开” "
                   "before this one; it is missing"),
            (21, 3, "the row “三、本年度办理结果 / （五）不予处理 / 5.要求行政机关确认或重新出具已获取信息” "
                    "is out of order"),
            (27, 2, "the row “三、本年度办理结果 / （八）其他情况” is not in table 三 of the 2021 form")]
    for line, col, phrase in want:
        if not any(x[0] == path and x[1] == line and x[2] == col and x[3] == "warning"
                   and phrase in x[4] for x in found):
            d.append("no warning at %d:%d with %r" % (line, col, phrase))
    active = copy_sample("labels-active")
    apath = edit(active, "active.tsv", lambda rows: rows[row_of(rows, "行政规范性文件")].__setitem__(0, "规范性文件"))
    p = gw("check", active)
    found = diagnostics(p.stderr)
    if p.returncode != 0 or [x[:3] for x in found] != [(apath, 4, 1)] \
            or "has “行政规范性文件” here" not in found[0][4]:
        d.append("table 二's 规范性文件: exit %d, %s" % (p.returncode, found))
    # variants the form allows: spaces, line breaks, half-width brackets, 1．and 1、
    same = copy_sample("labels-same")

    def variants(rows):
        rows[row_of(rows, "第二十条第（一）项")][0] = "第二十条 第(一)项"
    edit(same, "active.tsv", variants)

    def variants3(rows):
        rows[2][4] = "商业\\n企业"
        rows[row_of(rows, "1.属于国家秘密")][2] = "1．属于国家秘密"
        rows[row_of(rows, "2.重复申请")][2] = "2、重复申请"
        rows[row_of(rows, "（一）予以公开")][1] = "(一)予以公开"
    edit(same, "apply.tsv", variants3)
    p = gw("check", same)
    if p.returncode != 0 or diagnostics(p.stderr):
        d.append("spaces, line breaks and bracket widths: exit %d, %s"
                 % (p.returncode, diagnostics(p.stderr)))
    return d


@check("forms: form=ID declares a table, form=none is no form, a bad ID is an error; a form "
       "with the wrong header= is a warning")
def _():
    d = []
    folder = copy_sample("declared")
    edit(folder, "apply.tsv", lambda rows: rows[row_of(rows, "（七）总计")].__setitem__(3, "1"))
    rep = os.path.join(folder, "report.txt")
    text = open(rep, encoding="utf-8").read()
    for option, status in (("form=2021-apply", 1), ("form=none", 0)):
        open(rep, "w", encoding="utf-8").write(text.replace("header=3 收到", "header=3 %s 收到" % option))
        p = gw("check", folder)
        errors = [x for x in diagnostics(p.stderr) if x[3] == "error"]
        if p.returncode != status or bool(errors) != bool(status):
            d.append("%s: exit %d, %s" % (option, p.returncode, errors))
    open(rep, "w", encoding="utf-8").write(text.replace("header=3 收到", "header=3 form=2022-apply 收到"))
    p = gw("check", folder)
    found = diagnostics(p.stderr)
    if p.returncode != 1 or not found or "form=2022-apply: the annual report's forms are" not in found[0][4]:
        d.append("form=2022-apply: exit %d, %s" % (p.returncode, found))
    open(rep, "w", encoding="utf-8").write(text.replace("@table apply.tsv header=3", "@table apply.tsv header=2"))
    p = gw("check", folder)
    found = [x for x in diagnostics(p.stderr) if x[0] == rep]
    if not found or "write header=3" not in found[0][4]:
        d.append("table 三 with header=2: %s" % found)
    # a table declared to be a form it is not: its labels are reported
    open(rep, "w", encoding="utf-8").write(text.replace("@table active.tsv", "@table active.tsv form=2019-active"))
    p = gw("check", folder)
    if not any("table 二 of the 2019 form has “本年新制作数量” here" in x[4] for x in diagnostics(p.stderr)):
        d.append("2021's table 二 declared 2019-active: %s" % diagnostics(p.stderr)[:3])
    return d


@check("forms: a .rules file adds to the form's rules (the form's own lines not checked twice); "
       ".rules columns by header path (A/B) and by #N")
def _():
    d = []
    folder = copy_sample("rules-twice", rules=True)
    with open(os.path.join(folder, "apply.rules"), "a", encoding="utf-8") as f:
        f.write("column 总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他\n")
    edit(folder, "apply.tsv", lambda rows: rows[row_of(rows, "（一）予以公开")].__setitem__(9, "27"))
    p = gw("check", folder)
    errors = [x for x in diagnostics(p.stderr) if x[3] == "error"]
    if p.returncode != 1 or len([e for e in errors if e[1] == 6]) != 1:
        d.append("the form's rule in a .rules file too: %s" % errors)
    other = os.path.join(T, "paths")
    os.makedirs(other, exist_ok=True)
    with open(os.path.join(other, "report.txt"), "w", encoding="utf-8") as f:
        f.write("标题\n正文。\n@table t.tsv header=2 form=none\n")
    with open(os.path.join(other, "t.tsv"), "w", encoding="utf-8") as f:
        f.write("项目\t甲\t\t\t乙\t\t\n^\t一\t二\t合计\t一\t二\t合计\n"
                "上半年\t1\t2\t3\t4\t5\t9\n下半年\t1\t1\t2\t2\t2\t5\n")
    with open(os.path.join(other, "t.rules"), "w", encoding="utf-8") as f:
        f.write("column 甲/合计 = 甲/一 + 甲/二\ncolumn #7 = #5 + #6\n")
    p = gw("check", other)
    found = diagnostics(p.stderr)
    if p.returncode != 1 or [x[1:4] for x in found] != [(4, 7, "error")] \
            or "do not add up in row “下半年”" not in found[0][4]:
        d.append("paths and #N: exit %d, %s" % (p.returncode, found))
    return d


# ---- gongwen new ----

# The labels of the 2021 form's tables as the PDF shows them, cell by cell in reading order
# (国办公开办函〔2021〕30号; checked against published reports, see README).
LABELS_2021 = {
    "active.tsv": [
        "第二十条第（一）项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数",
        "规章", "行政规范性文件",
        "第二十条第（五）项", "信息内容", "本年处理决定数量", "行政许可",
        "第二十条第（六）项", "信息内容", "本年处理决定数量", "行政处罚", "行政强制",
        "第二十条第（八）项", "信息内容", "本年收费金额（单位：万元）", "行政事业性收费"],
    "apply.tsv": [
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况",
        "自然人", "法人或其他组织", "总计",
        "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他",
        "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量",
        "三、本年度办理结果", "（一）予以公开",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "（三）不予公开", "1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”",
        "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息",
        "7.属于行政执法案卷", "8.属于行政查询事项",
        "（四）无法提供", "1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作",
        "3.补正后申请内容仍不明确",
        "（五）不予处理", "1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物",
        "4.无正当理由大量反复申请", "5.要求行政机关确认或重新出具已获取信息",
        "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他",
        "（七）总计", "四、结转下年度继续办理"],
    "review.tsv": [
        "行政复议", "行政诉讼",
        "结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉",
        "结果维持", "结果纠正", "其他结果", "尚未审结", "总计",
        "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
}


def new(*args, env=None):
    return gw("new", *args, env=env)


def read_rows(path):
    with open(path, encoding="utf-8") as f:
        return [r.split("\t") for r in f.read().rstrip("\n").split("\n")]


@check("new annual-report: the report renders with no warning and passes check as written; "
       "the PDF holds every label of the 2021 form's three tables in order")
def _():
    d = []
    folder = os.path.join(T, "new", "r")
    p = new("annual-report", folder, "--year", "2025", "--organ", "某某县商务局")
    if p.returncode != 0:
        return ["new: exit %d, %s" % (p.returncode, txt(p.stderr))]
    pdf = os.path.join(T, "new-r.pdf")
    p = gw("render", folder, "-o", pdf)
    if p.returncode != 0 or "warning" in txt(p.stderr):
        d.append("render: exit %d, %s" % (p.returncode, txt(p.stderr)))
    p = gw("check", folder)
    if p.returncode != 0 or diagnostics(p.stderr):
        d.append("check: exit %d, %s" % (p.returncode, diagnostics(p.stderr)))
    if forms_of(folder) != ["2021-active", "2021-apply", "2021-review"]:
        d.append("the tables are %s" % forms_of(folder))
    if not os.path.isfile(pdf):
        return d + ["no PDF"]
    text = squash("".join(l["text"] for pg in pdfread.stext(pdf) for l in pg))
    at = 0
    for name in ("active.tsv", "apply.tsv", "review.tsv"):
        missing = in_order(LABELS_2021[name], text[at:])
        if missing:
            d.append("%s: %d labels not in order in the PDF, first %r" % (name, len(missing),
                                                                          missing[:3]))
        else:
            at += text[at:].find(squash(LABELS_2021[name][-1]))
    plain = "".join(pdfread.text(pdf))
    for want in ("某某县商务局2025年", "统计期限自2025年1月1日起至2025年12月31日止",
                 "国办公开办函〔2021〕30号", "一、总体情况", "二、主动公开政府信息情况",
                 "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
                 "五、存在的主要问题及改进情况", "六、其他需要报告的事项", "图1", "图2"):
        if squash(want) not in squash(plain):
            d.append("the PDF lacks %r" % want)
    return d


@check("new annual-report: with no .rules file, a figure changed so that a column no longer adds "
       "up makes check exit 1 at file:line:col; a blank cell is a warning naming it")
def _():
    d = []
    folder = os.path.join(T, "new", "sum")
    new("annual-report", folder, "--year", "2025", "--organ", "某某县商务局")
    os.remove(os.path.join(folder, "apply.rules"))
    path = os.path.join(folder, "apply.tsv")
    rows = read_rows(path)
    i = row_of(rows, "4.保护第三方合法权益")
    rows[i][5] = "2"                                    # 科研机构: 0 -> 2
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join("\t".join(r) for r in rows) + "\n")
    p = gw("check", folder)
    errors = [x[:3] for x in diagnostics(p.stderr) if x[3] == "error"]
    line = i + 1
    if p.returncode != 1 or not errors or \
            not all(f == path and (l == line or c == 6) for f, l, c in errors) or \
            (path, 27, 6) not in errors:
        d.append("a figure changed at %d:6: exit %d, errors %s" % (line, p.returncode, errors))
    rows[i][5] = ""
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join("\t".join(r) for r in rows) + "\n")
    p = gw("check", folder)
    found = diagnostics(p.stderr)
    if p.returncode != 0 or [x[:4] for x in found] != [(path, line, 6, "warning")] \
            or "“4.保护第三方合法权益”, column “科研机构”" not in found[0][4]:
        d.append("a blank cell: exit %d, %s" % (p.returncode, found))
    return d


@check("new annual-report --previous: 上年结转 is last year's 结转下年度继续办理 (and stands in "
       "this year's 四 until the results are entered), 现行有效件数 last year's; check passes")
def _():
    d = []
    last = os.path.join(T, "new", "2024")
    new("annual-report", last, "--year", "2024", "--organ", "某某县商务局")
    apply = os.path.join(last, "apply.tsv")
    rows = read_rows(apply)
    carried = ["2", "1", "0", "0", "0", "0", "3"]
    for label in ("一、本年新收政府信息公开申请数量", "四、结转下年度继续办理"):
        rows[row_of(rows, label)][3:10] = carried
    with open(apply, "w", encoding="utf-8") as f:
        f.write("\n".join("\t".join(r) for r in rows) + "\n")
    active = os.path.join(last, "active.tsv")
    rows = read_rows(active)
    rows[row_of(rows, "规章")][3] = "1"
    rows[row_of(rows, "行政规范性文件")][1:4] = ["2", "0", "17"]
    with open(active, "w", encoding="utf-8") as f:
        f.write("\n".join("\t".join(r) for r in rows) + "\n")
    rep = os.path.join(last, "report.txt")
    text = open(rep, encoding="utf-8").read().replace("新收政府信息公开申请0件", "新收政府信息公开申请3件") \
        .replace("结转下年度继续办理0件", "结转下年度继续办理3件")
    open(rep, "w", encoding="utf-8").write(text)
    p = gw("check", last)
    if p.returncode != 0 or diagnostics(p.stderr):
        return ["last year's report: exit %d, %s" % (p.returncode, diagnostics(p.stderr))]
    folder = os.path.join(T, "new", "2025")
    p = new("annual-report", folder, "--year", "2025", "--organ", "某某县商务局", "--previous", last)
    if p.returncode != 0 or "warning" in txt(p.stderr):
        return ["new --previous: exit %d, %s" % (p.returncode, txt(p.stderr))]
    p = new("annual-report", os.path.join(T, "new", "2026"), "--year", "2026", "--organ",
            "某某县商务局", "--previous", last)
    if p.returncode != 0 or "its title names 2024, not 2025: is it last year's report?" not in txt(p.stderr):
        d.append("--year 2026 with the 2024 report: exit %d, %s" % (p.returncode, txt(p.stderr)))
    rows = read_rows(os.path.join(folder, "apply.tsv"))
    for label in ("二、上年结转政府信息公开申请数量", "四、结转下年度继续办理"):
        if rows[row_of(rows, label)][3:10] != carried:
            d.append("%s: %s, want %s" % (label, rows[row_of(rows, label)][3:10], carried))
    if rows[row_of(rows, "一、本年新收政府信息公开申请数量")][3:10] != ["0"] * 7:
        d.append("一 is not 0")
    rows = read_rows(os.path.join(folder, "active.tsv"))
    if [rows[row_of(rows, k)][1:4] for k in ("规章", "行政规范性文件")] != [["0", "0", "1"], ["0", "0", "17"]]:
        d.append("table 二: %s" % rows[2:4])
    text = open(os.path.join(folder, "report.txt"), encoding="utf-8").read()
    if "上年结转3件" not in text or "结转下年度继续办理3件" not in text:
        d.append("the text does not carry 3 over")
    # check finds 2024 beside 2025 and compares (check --previous): the carry-over agrees;
    # what it reports is only the template's paragraphs, left as they were in both years
    # (内容雷同 — a user writes this year's own)
    p = gw("check", folder)
    other = [x for x in diagnostics(p.stderr) if "内容雷同" not in x[4]]
    if p.returncode != 0 or other:
        d.append("check: exit %d, %s" % (p.returncode, other))
    p = gw("check", folder, "--no-previous")
    if p.returncode != 0 or diagnostics(p.stderr):
        d.append("check --no-previous: exit %d, %s" % (p.returncode, diagnostics(p.stderr)))
    p = new("annual-report", os.path.join(T, "new", "x"), "--year", "2025", "--organ", "甲",
            "--previous", os.path.join(SRC, "reports", "guizhou-commerce-2017"))
    if p.returncode != 1 or "table 三" not in txt(p.stderr) or os.path.exists(os.path.join(T, "new", "x")):
        d.append("--previous without table 三: exit %d, %s" % (p.returncode, txt(p.stderr)))
    return d


@check("new: refuses a folder that is not empty (nothing changed), a file; usage errors exit 2; "
       "--help explains; an empty folder is fine; the templates are compiled in")
def _():
    d = []
    full = os.path.join(T, "new", "full")
    os.makedirs(full)
    with open(os.path.join(full, "notes.txt"), "w") as f:
        f.write("mine\n")
    p = new("annual-report", full, "--year", "2025", "--organ", "甲")
    if p.returncode != 1 or "not empty" not in txt(p.stderr) or os.listdir(full) != ["notes.txt"]:
        d.append("a folder not empty: exit %d, %s, holds %s" % (p.returncode, txt(p.stderr),
                                                                os.listdir(full)))
    p = new("notice", os.path.join(full, "notes.txt"))
    if p.returncode != 1 or "not a folder" not in txt(p.stderr):
        d.append("a file as DIR: exit %d, %s" % (p.returncode, txt(p.stderr)))
    for args in (["annual-report", "a"], ["annual-report", "a", "--year", "2025"],
                 ["annual-report", "a", "--year", "2018", "--organ", "甲"],
                 ["annual-report", "a", "--year", "2025", "--organ", "甲", "--form", "2020"],
                 ["letter", "a"], ["notice"], ["notice", "a", "--year", "2025"],
                 ["notice", "a", "--date", "2025-13-01"]):
        p = new(*[a if a != "a" else os.path.join(T, "new", "usage") for a in args])
        if p.returncode != 2 or os.path.exists(os.path.join(T, "new", "usage")):
            d.append("%s: exit %d, %s" % (args, p.returncode, txt(p.stderr)))
    p = new("--help")
    if p.returncode != 0 or "annual-report" not in txt(p.stdout) or "--previous" not in txt(p.stdout):
        d.append("--help: exit %d" % p.returncode)
    p = gw("--help")
    if "new annual-report" not in txt(p.stdout):
        d.append("gongwen --help does not list new")
    empty = os.path.join(T, "new", "empty")
    os.makedirs(empty)
    p = subprocess.run([os.path.abspath(BIN), "new", "notice", empty, "-q"], cwd="/",
                       env={"PATH": os.environ.get("PATH", ""), "LC_ALL": "C.UTF-8"},
                       capture_output=True)
    files = sorted(os.listdir(empty))
    if p.returncode != 0 or files != ["report.txt", "schedule.tsv"] or p.stderr:
        d.append("an empty folder, from /: exit %d, %s, %s" % (p.returncode, files, p.stderr))
    return d


@check("new annual-report --form 2019 and new notice render with no warning and pass check")
def _():
    d = []
    old = os.path.join(T, "new", "2020")
    new("annual-report", old, "--year", "2020", "--organ", "某某县商务局")
    if forms_of(old) != ["2019-active", "2019-apply", "2021-review"]:
        d.append("2020: the tables are %s" % forms_of(old))
    notice = os.path.join(T, "new", "notice")
    new("notice", notice, "--organ", "某某县商务局", "--date", "2025-03-01")
    for folder in (old, notice):
        pdf = folder + ".pdf"
        p = gw("render", folder, "-o", pdf)
        if p.returncode != 0 or "warning" in txt(p.stderr):
            d.append("render %s: exit %d, %s" % (folder, p.returncode, txt(p.stderr)))
        p = gw("check", folder, "--werror")
        if p.returncode != 0:
            d.append("check %s: exit %d, %s" % (folder, p.returncode, diagnostics(p.stderr)))
    text = squash("".join(pdfread.text(notice + ".pdf")))
    for want in ("某某县商务局", "某发〔2025〕1号", "关于做好某项工作的通知", "各有关单位：",
                 "附件：工作进度安排表", "2025年3月1日", "抄送：某某单位。", "某某县商务局办公室"):
        if squash(want) not in text:
            d.append("the notice lacks %r" % want)
    text = squash("".join(pdfread.text(old + ".pdf")))
    for want in ("国办公开办函〔2019〕60号", "本年新制作数量", "对外公开总数量", "政府集中采购"):
        if want not in text:
            d.append("the 2020 report lacks %r" % want)
    return d


@check("sample-2021-format: made with gongwen new and filled in; check and render print no "
       "warning; every cell of its tables in the PDF in order; the charts' figures are the table's")
def _():
    d = []
    sample = os.path.join(SRC, "reports", "sample-2021-format")
    if forms_of(sample) != ["2021-active", "2021-apply", "2021-review"]:
        d.append("the tables are %s" % forms_of(sample))
    p = gw("check", sample, "--werror")
    if p.returncode != 0 or diagnostics(p.stderr):
        d.append("check: exit %d, %s" % (p.returncode, diagnostics(p.stderr)))
    pdf = os.path.join(T, "sample-2021-format.pdf")
    p = gw("render", sample, "-o", pdf)
    if p.returncode != 0 or "warning" in txt(p.stderr):
        return d + ["render: exit %d, %s" % (p.returncode, txt(p.stderr))]
    text = squash("".join(l["text"] for pg in pdfread.stext(pdf) for l in pg))
    for name in ("active.tsv", "apply.tsv", "review.tsv"):
        cells = [c.replace("\\n", "") for r in read_rows(os.path.join(sample, name)) for c in r
                 if c not in ("", "^", "<")]
        missing = in_order(cells, text)
        if missing:
            d.append("%s: %d cells not in order, first %r" % (name, len(missing), missing[:3]))
    apply = read_rows(os.path.join(sample, "apply.tsv"))
    total = lambda label: int(apply[row_of(apply, label)][9])
    first = apply[row_of(apply, "一、本年新收政府信息公开申请数量")][3:9]
    applicants = [r[1] for r in read_rows(os.path.join(sample, "applicants.tsv"))[1:]]
    if applicants != first:
        d.append("applicants.tsv %s, row 一 of apply.tsv %s" % (applicants, first))
    groups = {"（三）不予公开": (8, 0), "（四）无法提供": (3, 0), "（五）不予处理": (5, 0),
              "（六）其他处理": (3, 0)}
    want = [total("（一）予以公开"), total("（二）部分公开（区分处理的，只计这一情形，不计其他情形）")]
    for group, (n, _) in groups.items():
        i = row_of(apply, group)
        want.append(sum(int(apply[k][9]) for k in range(i, i + n)))
    # the results chart takes its figures from apply.tsv itself (rows=（一）..（六）
    # column=总计): the pie's labels read back are the table's group totals
    labels = [l["text"] for pg in pdfread.stext(pdf) for l in pg]
    got = [int(m.group(1)) for m in (re.search(r"(\d+)\s*件", t) for t in labels
                                     if re.match(r"^(予以公开|部分公开|不予公开|无法提供|不予处理|其他处理)", t)) if m]
    if sorted(got) != sorted(want) or sum(want) != total("（七）总计"):
        d.append("the results pie's figures %s, the table's %s" % (got, want))
    return d


@check("pagecheck: nothing outside the type area, no glyphs over each other, the text whole, "
       "in every report rendered here")
def _():
    d = rendered_pagecheck()
    for name in ("new-r.pdf", "new/2020.pdf", "new/notice.pdf"):   # made by gongwen new
        found, n = pagecheck.check(os.path.join(T, name))
        print("# pagecheck %s: %d pages, %d faults" % (name, n["pages"], len(found)))
        d += ["%s: %s" % (name, f) for f in found[:4]]
    return d


shutil.rmtree(T, ignore_errors=True)
finish()

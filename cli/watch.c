/* gongwen: --watch. The report's folder and its data files' folders are monitored; a change
 * to the report or a data file runs the command again (an error leaves the last good output,
 * since outputs are only ever replaced whole). */
#include "cli.h"

#include "source.h"

#include <gio/gio.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    const Options *o;
    int (*once)(const Options *);
    GMainLoop *loop;
    GPtrArray *monitors; /* GFileMonitor* */
    GHashTable *files;   /* absolute paths of the watched files */
    guint pending;       /* the debounce timer */
} Watch;

static void
add_file(Watch *w, const char *path)
{
    GFile *file = g_file_new_for_path(path);
    g_hash_table_add(w->files, g_file_get_path(file));
    g_object_unref(file);
}

/* The report's source and every file it reads (when it can be read). */
static void
collect_files(Watch *w)
{
    g_hash_table_remove_all(w->files);
    char *report = g_file_test(w->o->args[0], G_FILE_TEST_IS_DIR)
                       ? g_build_filename(w->o->args[0], "report.txt", NULL)
                       : g_strdup(w->o->args[0]);
    add_file(w, report);
    g_free(report);
    Doc *doc = source_load(w->o->args[0], NULL);
    GPtrArray *inputs = report_inputs(doc, w->o, NULL);
    for (guint k = 0; k < inputs->len; k++)
        add_file(w, ((const InputFile *)g_ptr_array_index(inputs, k))->path);
    g_ptr_array_free(inputs, TRUE);
    doc_free(doc);
}

static gboolean
run_now(gpointer data)
{
    Watch *w = data;
    w->pending = 0;
    GDateTime *now = g_date_time_new_now_local();
    char *time = g_date_time_format(now, "%H:%M:%S");
    fprintf(stderr, "%s ", time);
    fflush(stderr);
    g_free(time);
    g_date_time_unref(now);
    if (w->once(w->o) != 0) {
        char *output =
            w->o->output != NULL ? g_strdup(w->o->output) : default_output(w->o->args[0], ".pdf");
        if (g_file_test(output, G_FILE_TEST_EXISTS))
            fprintf(stderr, "gongwen: %s is kept as it was (the last good output)\n", output);
        else
            fprintf(stderr, "gongwen: no output yet; %s is written once the report renders\n",
                    output);
        g_free(output);
    }
    collect_files(w);
    return G_SOURCE_REMOVE;
}

static void
on_changed(GFileMonitor *monitor, GFile *file, GFile *other, GFileMonitorEvent event,
           gpointer data)
{
    Watch *w = data;
    (void)monitor;
    if (event == G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED)
        return;
    gboolean ours = FALSE;
    GFile *files[] = {file, other};
    for (int i = 0; i < 2 && !ours; i++) {
        char *path = files[i] != NULL ? g_file_get_path(files[i]) : NULL;
        ours = path != NULL && g_hash_table_contains(w->files, path);
        g_free(path);
    }
    if (!ours)
        return;
    if (w->pending != 0)
        g_source_remove(w->pending);
    w->pending = g_timeout_add(80, run_now, w); /* editors write in several steps */
}

/* Monitor the folders that hold the watched files. */
static void
watch_folders(Watch *w)
{
    GHashTable *dirs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init(&it, w->files);
    while (g_hash_table_iter_next(&it, &key, NULL))
        g_hash_table_add(dirs, g_path_get_dirname(key));
    g_hash_table_iter_init(&it, dirs);
    while (g_hash_table_iter_next(&it, &key, NULL)) {
        GFile *dir = g_file_new_for_path(key);
        GFileMonitor *m = g_file_monitor_directory(dir, G_FILE_MONITOR_WATCH_MOVES, NULL, NULL);
        if (m != NULL) {
            g_file_monitor_set_rate_limit(m, 50);
            g_signal_connect(m, "changed", G_CALLBACK(on_changed), w);
            g_ptr_array_add(w->monitors, m);
        }
        g_object_unref(dir);
    }
    g_hash_table_destroy(dirs);
}

static gboolean
on_signal(gpointer data)
{
    g_main_loop_quit(((Watch *)data)->loop);
    return G_SOURCE_CONTINUE; /* removed by watch_run once the loop ends */
}

int
watch_run(const Options *o, int (*once)(const Options *))
{
    Watch w = {o, once, g_main_loop_new(NULL, FALSE), g_ptr_array_new_with_free_func(g_object_unref),
               g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL), 0};
    /* before the first run too: a signal during it ends the watch once it is done */
    guint sigint = g_unix_signal_add(SIGINT, on_signal, &w);
    guint sigterm = g_unix_signal_add(SIGTERM, on_signal, &w);
    collect_files(&w);
    watch_folders(&w); /* before the first run: a change made during it is not missed */
    run_now(&w);
    fprintf(stderr, "gongwen: watching %u files; Ctrl-C stops\n", g_hash_table_size(w.files));
    g_main_loop_run(w.loop);
    g_source_remove(sigint);
    g_source_remove(sigterm);
    if (w.pending != 0)
        g_source_remove(w.pending);
    g_ptr_array_free(w.monitors, TRUE);
    g_hash_table_destroy(w.files);
    g_main_loop_unref(w.loop);
    return EXIT_OK;
}

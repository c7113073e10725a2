/* gongwen: the texts `gongwen new` writes, compiled in (cli/templates.c). */
#ifndef GONGWEN_TEMPLATES_H
#define GONGWEN_TEMPLATES_H

/* The annual report's report.txt: {organ}, {year}, {next}, {basis}, {basis_short},
 * {received}, {carried}, {pending}, {other}, {previous_note}. */
extern const char template_annual[];
/* Its part 六 for the 2021 and the 2019 format. */
extern const char template_other_2021[];
extern const char template_other_2019[];
/* apply.rules: the text's figures against the table ({form_name}). */
extern const char template_apply_rules[];
/* The charts' data: the results and the applicants of table 三, figures 0. */
extern const char template_applicants[];
/* A 通知: {organ}, {code}, {year}, {date}; and its attachment's table. */
extern const char template_notice[];
extern const char template_schedule[];

#endif

/* gongwen: Chinese numerals as headings and articles write them (一, 十二, 一百零二). */
#ifndef GONGWEN_NUMERAL_H
#define GONGWEN_NUMERAL_H

#include <glib.h>

/* Consume a Chinese numeral from 一 to 九千九百九十九 at *s, written as numbers are (十二,
 * 二十, 一百零二, 一百一十, 一千零一); its value, or 0 (and *s unchanged) when there is
 * none. A numeral is read as far as it is well formed: 一二 reads 一, 一百二 reads 一百. */
int numeral_take(const char **s);

/* Append `value` (1..9999) as a Chinese numeral (十二, not 一十二; 一百零二, 一百一十);
 * any other value in ASCII digits. */
void numeral_append(GString *out, int value);

#endif

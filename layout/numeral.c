/* gongwen: Chinese numerals (numeral.h), read for headings (一、（二）) and articles
 * (第一百零二条), written when a number is re-numbered or expected. */
#include "numeral.h"

#include <string.h>

static const char *const han_digits[] = {"零", "一", "二", "三", "四",
                                         "五", "六", "七", "八", "九"};

/* The value of the Han digit at `s` (零〇 0, 一 1 … 九 9) and its bytes, or -1. */
static int
han_digit(const char *s, size_t *len)
{
    for (int d = 0; d < 10; d++) {
        if (g_str_has_prefix(s, han_digits[d])) {
            *len = strlen(han_digits[d]);
            return d;
        }
    }
    *len = strlen("〇");
    return g_str_has_prefix(s, "〇") ? 0 : -1;
}

/* The value of the unit at `s` (十 10, 百 100, 千 1000), or 0. */
static int
han_unit(const char *s)
{
    if (g_str_has_prefix(s, "十"))
        return 10;
    if (g_str_has_prefix(s, "百"))
        return 100;
    if (g_str_has_prefix(s, "千"))
        return 1000;
    return 0;
}

int
numeral_take(const char **s)
{
    const char *p = *s;
    int total = 0, digit = -1, last_unit = 10000;
    for (;;) {
        size_t len = 0;
        int d = han_digit(p, &len), u = han_unit(p);
        if (d >= 0) {
            if (digit > 0) /* two digits in a row */
                break;
            digit = d;
            p += len;
        } else if (u > 0 && u < last_unit) {
            /* 十 alone at the start is 一十; 零 or nothing before any other unit is not */
            int times = digit > 0 ? digit : (digit < 0 && total == 0 && u == 10 ? 1 : 0);
            if (times == 0)
                break;
            total += times * u;
            last_unit = u;
            digit = -1;
            p += strlen("十"); /* 十百千 are all three bytes */
        } else {
            break;
        }
    }
    if (digit > 0)
        total += digit;
    if (total > 0)
        *s = p;
    return total;
}

void
numeral_append(GString *out, int value)
{
    static const char *const units[] = {"千", "百", "十", ""};
    if (value < 1 || value > 9999) {
        g_string_append_printf(out, "%d", value);
        return;
    }
    const int parts[] = {value / 1000, value / 100 % 10, value / 10 % 10, value % 10};
    gboolean started = FALSE, zero = FALSE;
    for (int k = 0; k < 4; k++) {
        if (parts[k] == 0) {
            zero = started;
            continue;
        }
        if (zero)
            g_string_append(out, "零");
        zero = FALSE;
        if (!(k == 2 && parts[k] == 1 && !started)) /* 十二, not 一十二 */
            g_string_append(out, han_digits[parts[k]]);
        g_string_append(out, units[k]);
        started = TRUE;
    }
}

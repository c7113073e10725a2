#include "error.h"

G_DEFINE_QUARK(gongwen-error-quark, gongwen_error)

/* fontconfig lookup of a Chinese font (see fontfind.h). */
#include "fontfind.h"

#include <stdio.h>

#include <fontconfig/fontconfig.h>

int fontfind_zh(char *path, size_t pathsz, int *index)
{
    int rc = -1;
    FcConfig *cfg = FcInitLoadConfigAndFonts();
    if (!cfg)
        return -1;
    FcPattern *pat = FcPatternCreate();
    FcLangSet *ls = FcLangSetCreate();
    if (!pat || !ls)
        goto out;
    FcLangSetAdd(ls, (const FcChar8 *)"zh-cn");
    FcPatternAddLangSet(pat, FC_LANG, ls);
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)"WenQuanYi Micro Hei");
    FcConfigSubstitute(cfg, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res;
    FcPattern *match = FcFontMatch(cfg, pat, &res);
    if (!match)
        goto out;
    FcChar8 *file = NULL;
    FcLangSet *have = NULL;
    /* FcFontMatch always returns something; make sure it really covers Chinese. */
    if (FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch &&
        FcPatternGetLangSet(match, FC_LANG, 0, &have) == FcResultMatch &&
        FcLangSetHasLang(have, (const FcChar8 *)"zh-cn") != FcLangDifferentLang) {
        int idx = 0;
        FcPatternGetInteger(match, FC_INDEX, 0, &idx);
        if (snprintf(path, pathsz, "%s", (const char *)file) < (int)pathsz) {
            *index = idx;
            rc = 0;
        }
    }
    FcPatternDestroy(match);
out:
    if (ls)
        FcLangSetDestroy(ls);
    if (pat)
        FcPatternDestroy(pat);
    FcConfigDestroy(cfg);
    return rc;
}

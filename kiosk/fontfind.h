/* Finds a font that covers Simplified Chinese through fontconfig (WenQuanYi Micro Hei on
 * Debian: fonts-wqy-microhei), so the kiosk does not hard-code a font path. */
#ifndef SHOWFLOOR_FONTFIND_H
#define SHOWFLOOR_FONTFIND_H

#include <stddef.h>

/* Writes the file of the best match for lang=zh-cn (preferring WenQuanYi Micro Hei) into
 * path and its face index into *index. 0, or -1 when fontconfig finds nothing usable. */
int fontfind_zh(char *path, size_t pathsz, int *index);

#endif

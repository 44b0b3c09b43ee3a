/* PNG files for the kiosk through libpng: screenshots of the current frame (written to
 * FILE.tmp, then renamed, so a viewer never sees half a file) and images for draw.c. */
#ifndef SHOWFLOOR_PNGIO_H
#define SHOWFLOOR_PNGIO_H

#include <stddef.h>
#include <stdint.h>

#include <SDL2/SDL.h>

/* Writes `s` (any pixel format) to `path` atomically. 0, or -1 with a message in err. */
int pngio_write_surface(const char *path, SDL_Surface *s, char *err, size_t errsz);
/* Reads a PNG into a new ARGB8888 surface (caller frees with SDL_FreeSurface); NULL with a
 * message in err. Images over 8192 pixels a side are refused. */
SDL_Surface *pngio_read_surface(const char *path, char *err, size_t errsz);

/* Encodes `s` (any pixel format) as an RGBA PNG in memory: the remote screenshot. Caller
 * frees *out with free(). 0, or -1 with a message in err. */
int pngio_encode_surface(SDL_Surface *s, unsigned char **out, size_t *len, char *err, size_t errsz);
/* Encodes w x h 8-bit grey pixels (rows of w bytes) as a PNG in memory, the same bytes
 * for the same pixels. Caller frees *out with free(). 0, or -1 on out of memory. */
int pngio_encode_gray(const uint8_t *pixels, int w, int h, unsigned char **out, size_t *len);

#endif

/* PNG read/write with libpng (see png.h). */
#include "pngio.h"

#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

int pngio_write_surface(const char *path, SDL_Surface *s, char *err, size_t errsz)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        snprintf(err, errsz, "path too long");
        return -1;
    }
    SDL_Surface *rgba = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ABGR8888, 0);
    if (!rgba) {
        snprintf(err, errsz, "convert: %s", SDL_GetError());
        return -1;
    }
    FILE *f = NULL;
    png_structp png = NULL;
    png_infop info = NULL;
    int rc = -1;
    f = fopen(tmp, "wb");
    if (!f) {
        snprintf(err, errsz, "%s: %s", tmp, strerror(errno));
        goto out;
    }
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        snprintf(err, errsz, "libpng: out of memory");
        goto out;
    }
    if (setjmp(png_jmpbuf(png))) {
        snprintf(err, errsz, "libpng: write failed");
        goto out;
    }
    png_init_io(png, f);
    /* Fast compression: screenshots are written often and looked at, not archived. */
    png_set_compression_level(png, 3);
    png_set_IHDR(png, info, (png_uint_32)rgba->w, (png_uint_32)rgba->h, 8, PNG_COLOR_TYPE_RGB_ALPHA,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    SDL_LockSurface(rgba);
    for (int y = 0; y < rgba->h; y++)
        png_write_row(png, (png_const_bytep)rgba->pixels + (size_t)y * (size_t)rgba->pitch);
    SDL_UnlockSurface(rgba);
    png_write_end(png, NULL);
    rc = 0;
out:
    if (png)
        png_destroy_write_struct(&png, info ? &info : NULL);
    if (f && fclose(f) != 0 && rc == 0) {
        snprintf(err, errsz, "%s: %s", tmp, strerror(errno));
        rc = -1;
    }
    SDL_FreeSurface(rgba);
    if (rc == 0 && rename(tmp, path) != 0) {
        snprintf(err, errsz, "rename %s: %s", path, strerror(errno));
        rc = -1;
    }
    if (rc != 0)
        remove(tmp);
    return rc;
}

SDL_Surface *pngio_read_surface(const char *path, char *err, size_t errsz)
{
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, path)) {
        snprintf(err, errsz, "%s: %s", path, img.message);
        return NULL;
    }
    if (img.width == 0 || img.height == 0 || img.width > 8192 || img.height > 8192) {
        snprintf(err, errsz, "%s: image size %ux%u refused", path, img.width, img.height);
        png_image_free(&img);
        return NULL;
    }
    img.format = PNG_FORMAT_BGRA; /* = SDL ARGB8888 on little-endian */
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(
        0, (int)img.width, (int)img.height, 32,
        SDL_BYTEORDER == SDL_LIL_ENDIAN ? SDL_PIXELFORMAT_ARGB8888 : SDL_PIXELFORMAT_BGRA8888);
    if (!s) {
        snprintf(err, errsz, "surface: %s", SDL_GetError());
        png_image_free(&img);
        return NULL;
    }
    if (!png_image_finish_read(&img, NULL, s->pixels, s->pitch, NULL)) {
        snprintf(err, errsz, "%s: %s", path, img.message);
        SDL_FreeSurface(s);
        return NULL;
    }
    return s;
}

struct pngio_mem {
    unsigned char *buf;
    size_t len, cap;
    int oom;
};

static void pngio_mem_write(png_structp png, png_bytep data, png_size_t n)
{
    struct pngio_mem *m = png_get_io_ptr(png);
    if (m->oom)
        return;
    if (m->len + n > m->cap) {
        size_t cap = m->cap ? m->cap : 4096;
        while (cap < m->len + n)
            cap *= 2;
        unsigned char *nb = realloc(m->buf, cap);
        if (!nb) {
            m->oom = 1;
            return;
        }
        m->buf = nb;
        m->cap = cap;
    }
    memcpy(m->buf + m->len, data, n);
    m->len += n;
}

static void pngio_mem_flush(png_structp png)
{
    (void)png;
}

int pngio_encode_gray(const uint8_t *pixels, int w, int h, unsigned char **out, size_t *len)
{
    struct pngio_mem m = {0};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    /* volatile: read after a longjmp from libpng */
    volatile int rc = -1;
    if (!info)
        goto out;
    if (setjmp(png_jmpbuf(png)))
        goto out;
    png_set_write_fn(png, &m, pngio_mem_write, pngio_mem_flush);
    /* Fixed settings and no time chunk: the same strokes always give the same bytes. */
    png_set_compression_level(png, 9);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_GRAY,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < h; y++)
        png_write_row(png, (png_const_bytep)pixels + (size_t)y * (size_t)w);
    png_write_end(png, NULL);
    rc = m.oom ? -1 : 0;
out:
    if (png)
        png_destroy_write_struct(&png, info ? &info : NULL);
    if (rc != 0) {
        free(m.buf);
        m.buf = NULL;
        m.len = 0;
    }
    *out = m.buf;
    *len = m.len;
    return rc;
}

int pngio_encode_surface(SDL_Surface *s, unsigned char **out, size_t *len, char *err, size_t errsz)
{
    *out = NULL;
    *len = 0;
    SDL_Surface *rgba = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ABGR8888, 0);
    if (!rgba) {
        snprintf(err, errsz, "convert: %s", SDL_GetError());
        return -1;
    }
    struct pngio_mem m = {0};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    volatile int rc = -1; /* read after a longjmp from libpng */
    if (!info) {
        snprintf(err, errsz, "libpng: out of memory");
        goto out;
    }
    if (setjmp(png_jmpbuf(png))) {
        snprintf(err, errsz, "libpng: encode failed");
        goto out;
    }
    png_set_write_fn(png, &m, pngio_mem_write, pngio_mem_flush);
    /* Screen content is flat colour: level 6 is a good size for what goes over the wire. */
    png_set_compression_level(png, 6);
    png_set_IHDR(png, info, (png_uint_32)rgba->w, (png_uint_32)rgba->h, 8, PNG_COLOR_TYPE_RGB_ALPHA,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    SDL_LockSurface(rgba);
    for (int y = 0; y < rgba->h; y++)
        png_write_row(png, (png_const_bytep)rgba->pixels + (size_t)y * (size_t)rgba->pitch);
    SDL_UnlockSurface(rgba);
    png_write_end(png, NULL);
    if (m.oom)
        snprintf(err, errsz, "out of memory");
    else
        rc = 0;
out:
    if (png)
        png_destroy_write_struct(&png, info ? &info : NULL);
    SDL_FreeSurface(rgba);
    if (rc != 0) {
        free(m.buf);
        return -1;
    }
    *out = m.buf;
    *len = m.len;
    return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qr.c - QR codes for the reception desk and the members' page.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include <qrencode.h>

#include "qr.h"

/* Light modules around the code, as ISO/IEC 18004 asks. */
#define QUIET_ZONE 4

static QRcode *encode(const char *text, cw_err_t *err)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);

	if (!qr) cw_err_set(err, "cannot make a QR code: %s", strerror(errno));
	return qr;
}

/* Is the module at (x, y) dark? Coordinates include the quiet zone. */
static bool dark(const QRcode *qr, int x, int y)
{
	x -= QUIET_ZONE;
	y -= QUIET_ZONE;
	if (x < 0 || y < 0 || x >= qr->width || y >= qr->width) return false;
	return qr->data[y * qr->width + x] & 1;
}

/* The <svg> element of qr: one path, a rectangle per horizontal run of dark modules. */
static void svg_element(FILE *f, const QRcode *qr)
{
	int size = qr->width + 2 * QUIET_ZONE;

	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\""
		   " shape-rendering=\"crispEdges\">\n"
		   "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n<path fill=\"#000000\" d=\"",
		size, size, size * 8, size * 8, size, size);
	for (int y = 0; y < size; y++) {
		for (int x = 0; x < size; x++) {
			int run = 0;

			while (x + run < size && dark(qr, x + run, y)) run++;
			if (run) fprintf(f, "M%d %dh%dv1h-%dz", x, y, run, run);
			x += run;
		}
	}
	fputs("\"/>\n</svg>\n", f);
}

/* Free qr; then whether everything written to f went. 0, or -1 with err. */
static int done(FILE *f, QRcode *qr, cw_err_t *err)
{
	QRcode_free(qr);
	if (ferror(f)) {
		cw_err_set(err, "writing the QR code failed");
		return -1;
	}
	return 0;
}

static int write_svg(FILE *f, const char *text, bool declaration, cw_err_t *err)
{
	QRcode *qr = encode(text, err);

	if (!qr) return -1;
	if (declaration) fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	svg_element(f, qr);
	return done(f, qr, err);
}

int qr_write_svg(FILE *f, const char *text, cw_err_t *err)
{
	return write_svg(f, text, true, err);
}

int qr_write_svg_element(FILE *f, const char *text, cw_err_t *err)
{
	return write_svg(f, text, false, err);
}

int qr_write_terminal(FILE *f, const char *text, cw_err_t *err)
{
	static const char *const glyph[4] = { " ", "\u2584", "\u2580", "\u2588" };	/* by (top, bottom) dark */
	QRcode *qr = encode(text, err);
	int size;

	if (!qr) return -1;
	size = qr->width + 2 * QUIET_ZONE;
	for (int y = 0; y < size; y += 2) {
		fputs("\033[30;47m", f);	/* black on white */
		for (int x = 0; x < size; x++) fputs(glyph[dark(qr, x, y) * 2 + dark(qr, x, y + 1)], f);
		fputs("\033[0m\n", f);
	}
	return done(f, qr, err);
}

int qr_write_svg_out(cw_out_t *out, const char *text, cw_err_t *err)
{
	int fd = dup(out->fd), rc;
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	if (!f) {
		cw_err_set(err, "writing %s: %s", out->path, strerror(errno));
		if (fd >= 0) close(fd);
		cw_out_abort(out);
		return -1;
	}
	rc = qr_write_svg(f, text, err);
	if (fclose(f) != 0 && rc == 0) {
		cw_err_set(err, "writing %s: %s", out->path, strerror(errno));
		rc = -1;
	}
	if (rc < 0) {
		cw_out_abort(out);
		return -1;
	}
	return cw_out_commit(out, err);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qr.h - QR codes (libqrencode does the encoding): for the reception desk
 * (coworkctl) and for the members' page of the enrollment service.
 */
#ifndef COWORK_QR_H
#define COWORK_QR_H

#include <stdio.h>

#include "cowork.h"
#include "fileio.h"

/* Write text as a QR code (error correction M) in an SVG document. 0, or -1 with err. */
int qr_write_svg(FILE *f, const char *text, cw_err_t *err);

/*
 * The same code as a bare <svg> element, without the XML declaration, to
 * put inline into an HTML page: only presentation attributes, no style,
 * so that a strict Content-Security-Policy allows it. 0, or -1 with err.
 */
int qr_write_svg_element(FILE *f, const char *text, cw_err_t *err);

/*
 * Write text as an SVG QR code into out, a new file from cw_out_open (made
 * before costly work, so that an existing file refuses it early), then
 * commit it; on failure the file is removed (cw_out_abort). Either way out
 * is finished. 0, or -1 with err naming the file.
 */
int qr_write_svg_out(cw_out_t *out, const char *text, cw_err_t *err);

/*
 * Write text as a QR code for a terminal: two rows of modules per line
 * with Unicode half blocks, black on white set explicitly (ANSI colours) so
 * that it scans on dark and light terminals alike. 0, or -1 with err.
 */
int qr_write_terminal(FILE *f, const char *text, cw_err_t *err);

#endif

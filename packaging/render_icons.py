#!/usr/bin/env python3
# Renders resources/icons/yolo-workbench.svg to the committed hicolor PNGs with librsvg and
# cairo through ctypes, for machines without rsvg-convert, inkscape or QtSvg.
# Usage: packaging/render_icons.py resources/icons/yolo-workbench.svg OUTDIR  (writes OUTDIR/<size>.png)
import ctypes, sys
rsvg = ctypes.CDLL("librsvg-2.so.2")
cairo = ctypes.CDLL("libcairo.so.2")
gobj = ctypes.CDLL("libgobject-2.0.so.0")
rsvg.rsvg_handle_new_from_file.restype = ctypes.c_void_p
rsvg.rsvg_handle_new_from_file.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
cairo.cairo_image_surface_create.restype = ctypes.c_void_p
cairo.cairo_image_surface_create.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
cairo.cairo_create.restype = ctypes.c_void_p
cairo.cairo_create.argtypes = [ctypes.c_void_p]
cairo.cairo_scale.argtypes = [ctypes.c_void_p, ctypes.c_double, ctypes.c_double]
rsvg.rsvg_handle_render_cairo.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
cairo.cairo_surface_write_to_png.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
cairo.cairo_destroy.argtypes = [ctypes.c_void_p]
cairo.cairo_surface_destroy.argtypes = [ctypes.c_void_p]
svg, outdir = sys.argv[1], sys.argv[2]
h = rsvg.rsvg_handle_new_from_file(svg.encode(), None)
assert h
for size in (16, 22, 24, 32, 48, 64, 128, 256):
    s = cairo.cairo_image_surface_create(0, size, size)  # ARGB32
    cr = cairo.cairo_create(s)
    cairo.cairo_scale(cr, size / 256.0, size / 256.0)
    rsvg.rsvg_handle_render_cairo(h, cr)
    cairo.cairo_surface_write_to_png(s, f"{outdir}/{size}.png".encode())
    cairo.cairo_destroy(cr); cairo.cairo_surface_destroy(s)

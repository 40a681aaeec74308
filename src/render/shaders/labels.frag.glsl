// The label overlay: one pixel of fidac_label_reslice() + fidac_overlay_composite(), blended
// by the fixed-function stage (src_alpha, one_minus_src_alpha) over the grey image the MPR
// pass left in the framebuffer. The overlay prepends the #version line and its defines:
//   FP64      1 where the context has double precision: sample positions are then computed
//             in double exactly as on the CPU (see mpr.frag.glsl), so that nearest sampling
//             decides even exact ties (a sample halfway between two voxels) the same way.
//   OUTLINE   1: only pixels whose 4 neighbours on the plane do not all share their label.
//   AXIS      1 for planes whose screen axes follow the volume's axes (each voxel coordinate
//             depends on the screen column only, the row only, or neither): the CPU computes
//             with its own arithmetic the voxel index of every column and every row, one
//             pixel beyond the edges included, and the pixel adds two table entries instead
//             of computing a position (in double, which a software rasteriser emulates
//             slowly).
// Variants are separate programs, not uniform branches: a software rasteriser runs every
// branch its pixels might take.

#if __VERSION__ >= 400
#define PRECISE precise
#else
#define PRECISE
#endif

#if FP64
#define real double
#define rvec3 dvec3
#else
#define real float
#define rvec3 vec3
#endif

uniform usampler2DArray labels; // the class ids, one layer per slice, fetched
uniform ivec3 dims;
uniform rvec3 origin;           // voxel coordinates of screen point (0, 0)
uniform rvec3 du;               // voxel step for one screen unit along x
uniform rvec3 dv;               // ... along y (down)
uniform float height;           // of the viewport, pixels
// Per class id: the colour (sRGB / 255) and the alpha A / 255 of fidac_overlay_alpha(), 0
// for hidden classes and for id 0.
uniform vec4 colors[16];
#if AXIS
// Row 0: entry u + 1 holds the voxel indices column u gives (0 on the axes it does not
// decide, the constant ones added here); row 1: entry v + 1, those of row v. An index
// outside the volume is a large negative number, and stays out of range in the sum.
uniform isampler2D tables;
#endif

out vec4 color;

// The label at screen point (x, y): position ((origin + x du) + y dv), rounded as the CPU
// does it, the voxel (int) (p + 0.5), 0 outside [-0.5, dims - 0.5).
uint
label_at (real x,
          real y)
{
  PRECISE rvec3 p = (origin + x * du) + y * dv;
  ivec3 nearest = ivec3 (floor (p + real (0.5)));

  // One unsigned comparison per axis: negative indices wrap to huge ones.
  if (!all (lessThan (uvec3 (nearest), uvec3 (dims))))
    return 0u;
  return texelFetch (labels, nearest, 0).r;
}

#if AXIS
uint
label_at_index (ivec3 nearest)
{
  if (!all (lessThan (uvec3 (nearest), uvec3 (dims))))
    return 0u;
  return texelFetch (labels, nearest, 0).r;
}

void
main ()
{
  int u = int (gl_FragCoord.x);
  int v = int (height) - 1 - int (gl_FragCoord.y);
  ivec3 column = texelFetch (tables, ivec2 (u + 1, 0), 0).xyz;
  ivec3 row = texelFetch (tables, ivec2 (v + 1, 1), 0).xyz;
  uint label = label_at_index (column + row);
  vec4 c = colors[min (label, 15u)];

  if (c.a == 0.0)
    discard;
#if OUTLINE
  // The neighbours share the pixel's row or column entry.
  if (label_at_index (texelFetch (tables, ivec2 (u, 0), 0).xyz + row) == label &&
      label_at_index (texelFetch (tables, ivec2 (u + 2, 0), 0).xyz + row) == label &&
      label_at_index (column + texelFetch (tables, ivec2 (v, 1), 0).xyz) == label &&
      label_at_index (column + texelFetch (tables, ivec2 (v + 2, 1), 0).xyz) == label)
    discard;
#endif
  color = c;
}
#else
void
main ()
{
  // Pixel centre (u + 0.5, v + 0.5) with v going down: framebuffer row height - 1 - v.
  real x = real (gl_FragCoord.x);
  real y = real (height - gl_FragCoord.y);
  uint label = label_at (x, y);
  vec4 c = colors[min (label, 15u)];

  if (c.a == 0.0)
    discard;
#if OUTLINE
  // Neighbours one pixel away on the plane, beyond the viewport's edge too.
  if (label_at (x - real (1.0), y) == label && label_at (x + real (1.0), y) == label &&
      label_at (x, y - real (1.0)) == label && label_at (x, y + real (1.0)) == label)
    discard;
#endif
  color = c;
}
#endif

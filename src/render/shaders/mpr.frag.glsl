// The MPR fragment pass: one pixel of fidac_reslice() + fidac_reslice_window().
// The renderer prepends the #version line and the variant's defines:
//   LINEAR       0 nearest, 1 trilinear
//   SLAB         0 thin plane, 1 average, 2 maximum (MIP), 3 minimum (MinIP)
//   FP64         1 where the context has double precision (OpenGL 4.0 or
//                GL_ARB_gpu_shader_fp64): sample positions are then computed in double like
//                the CPU reslicer's. In float a position lands within rounding error
//                (6e-5 voxel at 512) of a voxel boundary about once in a few thousand
//                samples, and nearest sampling then picks the other voxel.
//   GATHER       1 where textureGather() exists (OpenGL 4.0 or GL_ARB_texture_gather): the
//                eight voxels of a linear sample come in two gathers instead of eight
//                fetches, three times faster on a software rasteriser.
//   AXIS         1 for a plane whose screen axes and normal each follow one volume axis (the
//                standard views of a series that is not oblique; see plan_axes() in
//                fidac-mpr-renderer.c), then COLUMN_AXIS, ROW_AXIS and SAMPLE_AXIS name them:
//                the other terms of each coordinate are exact zeros, so the position is
//                computed along two axes instead of three times over (same bits).
// Variants are separate programs rather than uniform branches: a software rasteriser runs
// every branch its pixels might take, and these never vary within a frame.

// Positions are ((origin + x du) + y dv) + s slab_step, each product and sum rounded in this
// order: `precise` forbids fused or reordered arithmetic, so that a CPU computing the same
// expression in double gets the same bits and decides even exact ties (a sample exactly
// halfway between two voxels) the same way.
#if __VERSION__ >= 400
#define PRECISE precise
#else
#define PRECISE
#endif

#if FP64
#define real double
#define rvec2 dvec2
#define rvec3 dvec3
#else
#define real float
#define rvec2 vec2
#define rvec3 vec3
#endif

uniform isampler2DArray volume; // the int16 HU, one layer per slice, exactly (fetched or
                                // gathered, never filtered)
uniform ivec3 dims;
uniform vec2 inv_size;          // 1 / dims.xy
uniform rvec3 origin;           // voxel coordinates of screen point (0, 0)
uniform rvec3 du;               // voxel step for one screen unit along x
uniform rvec3 dv;               // ... along y (down)
uniform rvec3 slab_step;        // voxel step between two slab samples
uniform int half_samples;       // the slab has 2 * half_samples + 1 samples
uniform float height;           // of the viewport, pixels
#if AXIS
// The origin's coordinate and the step along the column's, the row's and the slab's axes
// (origin[COLUMN_AXIS] and du[COLUMN_AXIS], ...): the nonzero terms of the general path.
uniform rvec3 axis_origin;
uniform rvec3 axis_step;
uniform int plane_nearest;      // floor (axis_origin.z + 0.5), as locate() computes it
#endif
// The window, fidac_window_level_map(): grey = clamp (floor ((hu - level_lo) * scale + offset
// + rounding), 0, 255), then gray_base + gray_sign * grey for the inversion. A threshold
// (width <= 1) is the same with a huge scale and offset 255.
uniform float level_lo;         // level - 0.5
uniform float scale;            // 255 / (width - 1)
uniform float offset;           // 127.5
uniform float rounding;         // 0.5: to nearest, 0: truncated
uniform float gray_base;        // 0, or 255 inverted
uniform float gray_sign;        // 1, or -1 inverted

out vec4 color;

const float BACKGROUND = -1024.0;  // FIDAC_RESLICE_BACKGROUND_HU
const float SNAP = 1e-6;           // as in fidac-reslice.c

// The voxel nearest to p, (int) (p + 0.5) as on the CPU, and whether p is inside the
// volume exactly as fidac_reslice() decides it: every coordinate in [-0.5, dims - 0.5),
// that is floor (p + 0.5) in [0, dims). One unsigned comparison per axis: negative indices
// wrap to huge ones.
bool
locate (rvec3 p,
        out ivec3 nearest)
{
  nearest = ivec3 (floor (p + real (0.5)));
  return all (lessThan (uvec3 (nearest), uvec3 (dims)));
}

#if LINEAR
// The voxel i and the weight f of the next one along each axis.
void
linear_weights (rvec3     p,
                out ivec3 i,
                out vec3  f)
{
  ivec3 n1 = dims - 1;
  rvec3 c = clamp (p, rvec3 (0.0), rvec3 (n1));
  i = ivec3 (c);
  // Exact in either precision; only the weights themselves go to float.
  f = vec3 (c - rvec3 (i));
  bvec3 up = greaterThan (f, vec3 (1.0 - SNAP));

  // The weight snapping of linear_axis(): nearly 0 or 1 counts as exact.
  i += ivec3 (up);
  f = mix (f, vec3 (0.0), bvec3 (ivec3 (up) | ivec3 (lessThan (f, vec3 (SNAP)))));
  bvec3 last = greaterThanEqual (i, n1);
  i = min (i, n1);
  f = mix (f, vec3 (0.0), last);
}

#if AXIS
// linear_weights() along one axis of n1 + 1 voxels, the same operations.
void
linear_weight (real      p,
               int       n1,
               out int   i,
               out float f)
{
  real c = clamp (p, real (0.0), real (n1));
  i = int (c);
  f = float (c - real (i));
  bool up = f > 1.0 - SNAP;

  i += int (up);
  f = up || f < SNAP ? 0.0 : f;
  bool last = i >= n1;
  i = min (i, n1);
  f = last ? 0.0 : f;
}
#endif

float
interpolate (ivec3 i,
             vec3  f)
{
  ivec3 s = ivec3 (greaterThan (f, vec3 (0.0)));

#if GATHER
  // The 2 x 2 texels around (i + 1, j + 1) / dims, exactly between the four centres: no
  // rounding can pick other ones. Where a step is 0 its weight is 0 too, and v + 0 * (w - v)
  // is v exactly, as on the CPU. Gather order: (i, j+1), (i+1, j+1), (i+1, j), (i, j).
  vec2 uv = (vec2 (i.xy) + 1.0) * inv_size;
  vec4 g0 = vec4 (textureGather (volume, vec3 (uv, float (i.z))));
#if AXIS && SAMPLE_AXIS == 2
  // An axial plane through voxel centres has no second layer to read (weight 0 on every
  // pixel): the same values without the gather.
  vec4 g1 = g0;
  if (s.z != 0)
    g1 = vec4 (textureGather (volume, vec3 (uv, float (i.z + s.z))));
#else
  vec4 g1 = vec4 (textureGather (volume, vec3 (uv, float (i.z + s.z))));
#endif
  float v000 = g0.w, v100 = g0.z, v010 = g0.x, v110 = g0.y;
  float v001 = g1.w, v101 = g1.z, v011 = g1.x, v111 = g1.y;
#else
  float v000 = float (texelFetch (volume, i, 0).r);
  float v100 = float (texelFetch (volume, i + ivec3 (s.x, 0, 0), 0).r);
  float v010 = float (texelFetch (volume, i + ivec3 (0, s.y, 0), 0).r);
  float v110 = float (texelFetch (volume, i + ivec3 (s.x, s.y, 0), 0).r);
  float v001 = float (texelFetch (volume, i + ivec3 (0, 0, s.z), 0).r);
  float v101 = float (texelFetch (volume, i + ivec3 (s.x, 0, s.z), 0).r);
  float v011 = float (texelFetch (volume, i + ivec3 (0, s.y, s.z), 0).r);
  float v111 = float (texelFetch (volume, i + s, 0).r);
#endif
  // Same order of operations as sample_row_linear().
  float c00 = v000 + f.x * (v100 - v000);
  float c10 = v010 + f.x * (v110 - v010);
  float c01 = v001 + f.x * (v101 - v001);
  float c11 = v011 + f.x * (v111 - v011);
  float c0 = c00 + f.y * (c10 - c00);
  float c1 = c01 + f.y * (c11 - c01);
  return c0 + f.z * (c1 - c0);
}

float
sample_volume (rvec3 p)
{
  ivec3 i;
  vec3 f;

  linear_weights (p, i, f);
  return interpolate (i, f);
}
#else
float
sample_volume (ivec3 nearest)
{
  // Clamped only so that the samples outside, which are discarded, fetch nothing strange.
  return float (texelFetch (volume, clamp (nearest, ivec3 (0), dims - 1), 0).r);
}
#endif

float
window_gray (float hu)
{
  float g = clamp (floor ((hu - level_lo) * scale + offset + rounding), 0.0, 255.0);

  return gray_base + gray_sign * g;
}

void
main ()
{
  // Screen coordinates of the pixel centre: x = u + 0.5, y = v + 0.5 with v going down,
  // framebuffer row height - 1 - v.
  vec2 screen = vec2 (gl_FragCoord.x, height - gl_FragCoord.y);
#if AXIS
  // The general expression less its exact zeros: origin + x du along the column's axis,
  // origin + y dv along the row's, origin along the slab's. Slab samples then add s
  // slab_step, which is zero on the other two axes.
  PRECISE rvec2 in_plane = axis_origin.xy + rvec2 (screen) * axis_step.xy;
  rvec3 p;
  p[COLUMN_AXIS] = in_plane.x;
  p[ROW_AXIS] = in_plane.y;
  p[SAMPLE_AXIS] = axis_origin.z;
#else
  PRECISE rvec3 p = (origin + real (screen.x) * du) + real (screen.y) * dv;
#endif
  float hu;

#if LINEAR
#define SAMPLE(q, nearest) sample_volume (q)
#else
#define SAMPLE(q, nearest) sample_volume (nearest)
#endif

#if SLAB == 0
  ivec3 nearest;
#if AXIS
  // locate() along the two screen axes; the plane's own is the same for every pixel.
  ivec2 in_plane_nearest = ivec2 (floor (in_plane + real (0.5)));
  nearest[COLUMN_AXIS] = in_plane_nearest.x;
  nearest[ROW_AXIS] = in_plane_nearest.y;
  nearest[SAMPLE_AXIS] = plane_nearest;
  bool in_volume = all (lessThan (uvec3 (nearest), uvec3 (dims)));
#else
  bool in_volume = locate (p, nearest);
#endif
  float v = SAMPLE (p, nearest);

  hu = in_volume ? v : BACKGROUND;
#else
  int count = 0;
  float acc = 0.0;
#if AXIS
  // locate() along the screen axes once for all the samples, which differ along the third.
  ivec2 in_plane_nearest = ivec2 (floor (in_plane + real (0.5)));
  bool in_plane_inside = all (lessThan (uvec2 (in_plane_nearest),
                                        uvec2 (dims[COLUMN_AXIS], dims[ROW_AXIS])));
  int first = in_plane_inside ? -half_samples : half_samples + 1;
#if LINEAR
  // The same for the weights.
  ivec3 plane_i;
  vec3 plane_f;

  linear_weights (p, plane_i, plane_f);
#endif
#else
  int first = -half_samples;
#endif

  for (int s = first; s <= half_samples; s++)
    {
#if AXIS
      PRECISE real along = axis_origin.z + real (s) * axis_step.z;
      rvec3 q = p;
      ivec3 nearest;

      q[SAMPLE_AXIS] = along;
      nearest[COLUMN_AXIS] = in_plane_nearest.x;
      nearest[ROW_AXIS] = in_plane_nearest.y;
      nearest[SAMPLE_AXIS] = int (floor (along + real (0.5)));
      if (uint (nearest[SAMPLE_AXIS]) >= uint (dims[SAMPLE_AXIS]))
        continue;
#if LINEAR
      ivec3 i = plane_i;
      vec3 f = plane_f;
      int along_i;
      float along_f;

      linear_weight (along, dims[SAMPLE_AXIS] - 1, along_i, along_f);
      i[SAMPLE_AXIS] = along_i;
      f[SAMPLE_AXIS] = along_f;
#undef SAMPLE
#define SAMPLE(q, nearest) interpolate (i, f)
#endif
#else
      PRECISE rvec3 q = p + real (s) * slab_step;
      ivec3 nearest;

      if (!locate (q, nearest))
        continue;
#endif
      float v = SAMPLE (q, nearest);
#if SLAB == 1
      acc += v;
#elif SLAB == 2
      acc = count == 0 ? v : max (acc, v);
#else
      acc = count == 0 ? v : min (acc, v);
#endif
      count++;
    }
  if (count == 0)
    hu = BACKGROUND;
#if SLAB == 1
  else
    hu = acc / float (count);
#else
  else
    hu = acc;
#endif
#endif

  color = vec4 (vec3 (window_gray (hu) * (1.0 / 255.0)), 1.0);
}

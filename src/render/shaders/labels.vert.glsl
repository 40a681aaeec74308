#version 330 core
// The label overlay's vertices: one triangle covering the viewport (vertices 0, 1, 2 at
// (-1,-1), (3,-1), (-1,3)), no vertex buffer, as the MPR pass draws.
void
main ()
{
  vec2 p = vec2 (float ((gl_VertexID & 1) * 4 - 1), float ((gl_VertexID & 2) * 2 - 1));
  gl_Position = vec4 (p, 0.0, 1.0);
}

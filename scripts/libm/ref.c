/* Reference values from this machine's C library, for scripts/libm/proof.ts.
 *
 *   ref FUNCTION RANGE COUNT SEED   writes COUNT records (x, [y,] f(x[, y])) as little-endian
 *                                   doubles to stdout; FUNCTION is cos, sin, exp, log, log1p,
 *                                   tanh, expm1 or pow; RANGE is "schedule" (the arguments LR
 *                                   schedules produce) or "all" (random bit patterns over the whole
 *                                   double range, with special values, subnormals and huge values).
 *
 *   ref FUNCTION stdin              reads arguments (x, or x and y for pow) as little-endian doubles
 *                                   from stdin and writes the results (scripts/libm/make_fixture.ts).
 *
 * Build: cc -O2 -o ref ref.c -lm   (the functions are glibc's: libm's ifunc picks its FMA variants
 * on CPUs with FMA, as it does for CPython's math module).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state;
static uint64_t next(void) { /* splitmix64 */
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
static double unit(void) { return (double)(next() >> 11) * 0x1p-53; } /* [0, 1) */
static double bits(void) { uint64_t b = next(); double d; memcpy(&d, &b, 8); return d; }
static const double SPECIAL[] = {0.0, -0.0, 1.0, -1.0, INFINITY, -INFINITY, NAN, 0.5, -0.5, 2.0, -2.0,
  0x1p-1074, -0x1p-1074, 0x1p-1022, 0x1.fffffffffffffp-1023, 0x1.fffffffffffffp1023, -0x1.fffffffffffffp1023,
  3.141592653589793, 1.5707963267948966, 709.782712893384, -745.1332191019411, 1e300, 1e22, 0x1p-54};
#define NSPECIAL (sizeof SPECIAL / sizeof SPECIAL[0])

/* A double spread over the whole range: random bits, a special value, a subnormal, or huge. */
static double anywhere(void) {
  uint64_t pick = next() % 16;
  if (pick == 0) return SPECIAL[next() % NSPECIAL];
  if (pick == 1) { uint64_t b = next() & 0x800fffffffffffffull; double d; memcpy(&d, &b, 8); return d; }
  if (pick == 2) return ldexp(unit() + 0.5, (int)(next() % 2100) - 1074) * (next() & 1 ? 1 : -1);
  return bits();
}

static double schedule_arg(const char *f) {
  uint64_t pick = next() % 4;
  double u = unit();
  if (!strcmp(f, "cos") || !strcmp(f, "sin")) {
    /* cos(pi * progress), cos(pi * t / T), cos(2 pi * cycles * progress), Box-Muller angles */
    if (pick == 0) return 3.141592653589793 * u;
    if (pick == 1) return 3.141592653589793 * (double)(next() % 100001) / (double)(1 + next() % 100000);
    if (pick == 2) return 6.283185307179586 * u;
    return 3.141592653589793 * 64 * u;
  }
  if (!strcmp(f, "exp")) return pick == 0 ? -u : (u * 2 - 1) * (pick == 1 ? 10 : 745);
  if (!strcmp(f, "log")) return pick == 0 ? u : pick == 1 ? 1 + u * 16 : (double)(1 + next() % 1000000);
  if (!strcmp(f, "log1p")) return pick == 0 ? -u : pick == 1 ? u : -(1 - ldexp(u, -(int)(next() % 53)));
  if (!strcmp(f, "tanh")) return pick == 0 ? (u * 2 - 1) * 4 : (u * 2 - 1) * 25;
  if (!strcmp(f, "expm1")) return (u * 2 - 1) * (pick == 0 ? 1 : 40);
  return u;
}

static int from_stdin(const char *f) {
  int two = !strcmp(f, "pow");
  double (*fn)(double) = !strcmp(f, "cos") ? cos : !strcmp(f, "sin") ? sin : !strcmp(f, "exp") ? exp
    : !strcmp(f, "log") ? log : !strcmp(f, "log1p") ? log1p : !strcmp(f, "tanh") ? tanh
    : !strcmp(f, "expm1") ? expm1 : 0;
  if (!two && !fn) { fprintf(stderr, "unknown function %s\n", f); return 2; }
  double in[2];
  while (fread(in, 8, two ? 2 : 1, stdin) == (size_t)(two ? 2 : 1)) {
    double r = two ? pow(in[0], in[1]) : fn(in[0]);
    fwrite(&r, 8, 1, stdout);
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 3 && !strcmp(argv[2], "stdin")) return from_stdin(argv[1]);
  if (argc != 5) { fprintf(stderr, "usage: ref FUNCTION schedule|all COUNT SEED\n"); return 2; }
  const char *f = argv[1];
  int all = !strcmp(argv[2], "all");
  long n = atol(argv[3]);
  state = strtoull(argv[4], 0, 10);
  int two = !strcmp(f, "pow");
  double (*fn)(double) = !strcmp(f, "cos") ? cos : !strcmp(f, "sin") ? sin : !strcmp(f, "exp") ? exp
    : !strcmp(f, "log") ? log : !strcmp(f, "log1p") ? log1p : !strcmp(f, "tanh") ? tanh
    : !strcmp(f, "expm1") ? expm1 : 0;
  if (!two && !fn) { fprintf(stderr, "unknown function %s\n", f); return 2; }
  static double buf[3 * 4096];
  long filled = 0;
  for (long i = 0; i < n; i++) {
    double x, y = 0, r;
    if (two) {
      if (all) { x = anywhere(); y = next() % 4 == 0 ? (double)(int64_t)(next() % 2001) - 1000 : anywhere(); }
      else {
        uint64_t pick = next() % 4; double u = unit();
        if (pick == 0) { x = 1 - u; y = unit() * 10; }                /* (1 - where) ** power */
        else if (pick == 1) { x = 0.01 + 0.99 * u; y = (double)(next() % 1001); } /* gamma ** k */
        else if (pick == 2) { x = 1e-6 + u * 10; y = u * 4 - 2; }      /* decay ** where, x ** -0.5 */
        else { x = (double)(1 + next() % 100000); y = -(unit()); }     /* step ** -power */
      }
      r = pow(x, y);
      buf[filled++] = x; buf[filled++] = y; buf[filled++] = r;
    } else {
      x = all ? anywhere() : schedule_arg(f);
      r = fn(x);
      buf[filled++] = x; buf[filled++] = r;
    }
    if (filled > 3 * 4096 - 3) { fwrite(buf, 8, filled, stdout); filled = 0; }
  }
  fwrite(buf, 8, filled, stdout);
  return 0;
}

/*
 * Runs sgemm.cu's tile code on the host (cuda_host_shim.h) against a double-precision reference:
 * both tile sizes, all four transposes, unaligned (scalar loads) and aligned (float4) operands,
 * ragged edges, batches, beta 0 over a NaN-filled C and beta != 0. Buffers are allocated to the
 * exact size the problem reaches, so AddressSanitizer (when compiled with -fsanitize=address)
 * catches any read or write outside them; padding of C must stay as it was. Prints "all ok".
 *   g++ -std=c++20 -O1 -pthread -fsanitize=address -I src/main/cuda -I src/test/cuda sgemm_emulation.cpp
 */
#define NABLA_HOST_EMULATION
#include "cuda_host_shim.h"
#include "sgemm.cu"
#include <cstdio>
#include <cstdlib>
#include <random>
template <int BM, int BN, bool TA, bool TB>
void launch(int M, int N, int K, float alpha, const float* A, int lda, i64 sA, const float* B, int ldb, i64 sB,
            float beta, float* C, int ldc, i64 sC, int batch, int flags) {
  const int threads = (BM / 8) * (BN / 8);
  for (int z = 0; z < batch; z++)
    for (int by = 0; by < (M + BM - 1) / BM; by++)
      for (int bx = 0; bx < (N + BN - 1) / BN; bx++) {
        std::barrier<> bar(threads);
        nabla_block_barrier = &bar;
        std::vector<std::thread> ts;
        for (int t = 0; t < threads; t++)
          ts.emplace_back([=] {
            threadIdx = {(unsigned) t, 0, 0};
            blockIdx = {(unsigned) bx, (unsigned) by, (unsigned) z};
            sgemm_tile<BM, BN, TA, TB>(M, N, K, alpha, A, lda, sA, B, ldb, sB, beta, C, ldc, sC, 0, flags);
          });
        for (auto& th : ts) th.join();
      }
}
template <int BM, int BN>
int check(bool ta, bool tb, int M, int N, int K, int batch, int pad, int off, float beta, std::mt19937& rng) {
  int lda = (ta ? M : K) + pad, ldb = (tb ? K : N) + pad, ldc = N + pad;
  i64 sA = (i64) (ta ? K : M) * lda, sB = (i64) (tb ? N : K) * ldb, sC = (i64) M * ldc;
  // Exact-size allocations (plus the offset) so ASan catches any read or write past them.
  std::vector<float> A(off + sA * batch), B(off + sB * batch), C(off + sC * batch), R;
  std::uniform_real_distribution<float> u(-1, 1);
  for (auto& v : A) v = u(rng);
  for (auto& v : B) v = u(rng);
  for (auto& v : C) v = beta == 0 ? NAN : u(rng);
  R = C;
  for (int s = 0; s < batch; s++)
    for (int i = 0; i < M; i++)
      for (int j = 0; j < N; j++) {
        double acc = 0;
        for (int p = 0; p < K; p++) {
          double a = ta ? A[off + s * sA + (i64) p * lda + i] : A[off + s * sA + (i64) i * lda + p];
          double b = tb ? B[off + s * sB + (i64) j * ldb + p] : B[off + s * sB + (i64) p * ldb + j];
          acc += a * b;
        }
        float& r = R[off + s * sC + (i64) i * ldc + j];
        r = 1.5f * acc + (beta != 0 ? beta * r : 0.f);
      }
  int flags = 0;
  if (off % 4 == 0 && lda % 4 == 0 && sA % 4 == 0) flags |= 1;
  if (off % 4 == 0 && ldb % 4 == 0 && sB % 4 == 0) flags |= 2;
  if (off % 4 == 0 && ldc % 4 == 0 && sC % 4 == 0) flags |= 4;
  auto run = [&](auto fn) { fn(M, N, K, 1.5f, A.data() + off, lda, sA, B.data() + off, ldb, sB, beta, C.data() + off, ldc, sC, batch, flags); };
  if (!ta && !tb) run(launch<BM, BN, false, false>);
  if (!ta && tb) run(launch<BM, BN, false, true>);
  if (ta && !tb) run(launch<BM, BN, true, false>);
  if (ta && tb) run(launch<BM, BN, true, true>);
  double maxd = 0;
  for (size_t i = 0; i < C.size(); i++) {
    bool bothNan = std::isnan(C[i]) && std::isnan(R[i]);
    double d = bothNan ? 0 : std::fabs((double) C[i] - R[i]);
    if (std::isnan(d)) d = 1e30;
    if (d > maxd) maxd = d;
  }
  std::printf("BM=%d ta=%d tb=%d M=%d N=%d K=%d batch=%d pad=%d off=%d beta=%g flags=%d maxdiff=%.3g\n", BM, ta, tb, M, N, K,
              batch, pad, off, beta, flags, maxd);
  return maxd < 1e-3 ? 0 : 1;
}
int main() {
  std::mt19937 rng(1);
  int bad = 0;
  for (int ta = 0; ta < 2; ta++)
    for (int tb = 0; tb < 2; tb++) {
      bad += check<64, 64>(ta, tb, 70, 67, 45, 2, 3, 1, 0.f, rng);
      bad += check<64, 64>(ta, tb, 64, 128, 64, 1, 0, 4, 0.5f, rng);
      bad += check<128, 128>(ta, tb, 131, 129, 19, 1, 1, 2, 0.f, rng);
      bad += check<128, 128>(ta, tb, 128, 256, 40, 2, 4, 0, -1.f, rng);
    }
  std::printf("%s\n", bad ? "FAILED" : "all ok");
  return bad;
}

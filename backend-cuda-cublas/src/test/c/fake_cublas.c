/*
 * A stand-in for libcublas.so.13 with the entry points CublasFfmEngine calls, computing on host
 * memory with cuBLAS's documented column-major semantics and argument checks, so the FFM engine
 * (downcall types, argument order, row-major mapping, batches, FP64, stream and math mode) is tested
 * without a GPU: CublasFfmFakeLibraryTest compiles it with gcc and passes host addresses as
 * "device" pointers.
 */
#include <stddef.h>

typedef struct { void* stream; int math; int created; } Handle;
static Handle handle;

long long nabla_fake_stream(void) { return (long long) (size_t) handle.stream; }
int nabla_fake_math_mode(void) { return handle.math; }
int nabla_fake_live_handles(void) { return handle.created; }

int cublasCreate_v2(void** h) { handle.created++; *h = &handle; return 0; }
int cublasDestroy_v2(void* h) { ((Handle*) h)->created--; return 0; }
int cublasSetStream_v2(void* h, void* s) { ((Handle*) h)->stream = s; return 0; }
int cublasSetMathMode(void* h, int mode) { ((Handle*) h)->math = mode; return 0; }
int cublasGetVersion_v2(void* h, int* v) { (void) h; *v = 130100; return 0; }

static int check(int ta, int tb, int m, int n, int k, int lda, int ldb, int ldc) {
    if ((ta != 0 && ta != 1) || (tb != 0 && tb != 1) || m < 0 || n < 0 || k < 0) return 7;
    if (lda < (ta == 0 ? (m > 1 ? m : 1) : (k > 1 ? k : 1))) return 7;
    if (ldb < (tb == 0 ? (k > 1 ? k : 1) : (n > 1 ? n : 1))) return 7;
    if (ldc < (m > 1 ? m : 1)) return 7;
    return 0;
}

#define GEMM(NAME, T)                                                                                   \
    int NAME(void* h, int ta, int tb, int m, int n, int k, const T* alpha, const T* A, int lda,        \
             const T* B, int ldb, const T* beta, T* C, int ldc) {                                       \
        (void) h;                                                                                        \
        int bad = check(ta, tb, m, n, k, lda, ldb, ldc);                                                \
        if (bad) return bad;                                                                             \
        for (int i = 0; i < m; i++)                                                                      \
            for (int j = 0; j < n; j++) {                                                                \
                double s = 0;                                                                            \
                for (int p = 0; p < k; p++) {                                                            \
                    double a = ta == 0 ? A[i + (long long) p * lda] : A[p + (long long) i * lda];        \
                    double b = tb == 0 ? B[p + (long long) j * ldb] : B[j + (long long) p * ldb];        \
                    s += a * b;                                                                          \
                }                                                                                        \
                T* c = &C[i + (long long) j * ldc];                                                      \
                *c = (T) (*alpha * s + (*beta == 0 ? 0 : *beta * *c));                                  \
            }                                                                                            \
        return 0;                                                                                        \
    }

#define BATCHED(NAME, SINGLE, T)                                                                        \
    int NAME(void* h, int ta, int tb, int m, int n, int k, const T* alpha, const T* A, int lda,        \
             long long sa, const T* B, int ldb, long long sb, const T* beta, T* C, int ldc,            \
             long long sc, int batch) {                                                                  \
        if (batch < 0) return 7;                                                                         \
        for (int i = 0; i < batch; i++) {                                                                \
            int s = SINGLE(h, ta, tb, m, n, k, alpha, A + i * sa, lda, B + i * sb, ldb, beta,           \
                           C + i * sc, ldc);                                                             \
            if (s) return s;                                                                             \
        }                                                                                                \
        return 0;                                                                                        \
    }

GEMM(cublasSgemm_v2, float)
GEMM(cublasDgemm_v2, double)
BATCHED(cublasSgemmStridedBatched, cublasSgemm_v2, float)
BATCHED(cublasDgemmStridedBatched, cublasDgemm_v2, double)

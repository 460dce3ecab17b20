package dev.nabla;

import dev.nabla.autograd.Backprop;
import dev.nabla.autograd.GradMode;
import dev.nabla.autograd.Node;
import dev.nabla.backend.Backend;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.Buffer;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.UnaryOp;
import dev.nabla.internal.TensorInternals;
import dev.nabla.ops.Arithmetic;
import dev.nabla.ops.Cast;
import dev.nabla.ops.Concat;
import dev.nabla.ops.DropoutOp;
import dev.nabla.ops.NoGradOps;
import dev.nabla.ops.Losses;
import dev.nabla.ops.MatMul;
import dev.nabla.ops.Reductions;
import dev.nabla.ops.SoftmaxOp;
import dev.nabla.ops.Unary;
import dev.nabla.ops.Views;
import dev.nabla.autograd.HookHandle;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An n-dimensional array on a {@link Device}, with reverse-mode automatic differentiation.
 *
 * <p>A tensor is an immutable view (shape, strides, offset) over a reference-counted device
 * buffer; {@link #reshape}, {@link #transpose}, {@link #permute}, {@link #slice} and
 * {@link #expand} return views without copying where the strides allow. Arithmetic broadcasts
 * with NumPy rules. Operations on tensors that require grad record a graph;
 * {@link #backward()} fills {@link #grad()} of every leaf that requires grad.
 *
 * <p>Device memory is released by {@link #close()}, by the {@link Scope} the tensor was created
 * in, or — as a counted safety net — by a {@link java.lang.ref.Cleaner} after garbage collection.
 * Using a closed tensor is an {@link IllegalStateException}.
 *
 * <p>Errors name the op, the shapes or values and the rule, e.g.
 * {@code matmul: [32, 784] @ [10, 784]: inner dimensions 784 and 10 differ}.
 */
public final class Tensor implements AutoCloseable {
    private static final AtomicLong IDS = new AtomicLong();
    static final AtomicLong LIVE = new AtomicLong();

    static {
        TensorInternals.install(new TensorInternals.Hooks() {
            @Override
            public void setGradFn(Tensor t, Node node) {
                t.gradFn = node;
                t.requiresGrad = true;
            }

            @Override
            public void accumulateGrad(Tensor leaf, Tensor g) {
                leaf.accumulate(g);
            }

            @Override
            public boolean adoptGrad(Tensor leaf, Tensor g) {
                return leaf.adopt(g);
            }

            @Override
            public long version(Tensor t) {
                return t.storage.version();
            }

            @Override
            public void markModified(Tensor t) {
                t.storage.bumpVersion();
            }

            @Override
            public Tensor savedView(Tensor t) {
                t.checkOpen("save");
                t.storage.retain();
                return new Tensor(t.device, t.dtype, t.shape, t.strides, t.offset, t.storage, true);
            }

            @Override
            public boolean hasPostAccumulateHooks(Tensor leaf) {
                return leaf.postAccumulateHooks != null && !leaf.postAccumulateHooks.isEmpty();
            }

            @Override
            public void runPostAccumulateHooks(Tensor leaf) {
                List<Consumer<Tensor>> hooks = leaf.postAccumulateHooks;
                if (hooks != null) {
                    for (Consumer<Tensor> h : List.copyOf(hooks)) {
                        h.accept(leaf);
                    }
                }
            }

            @Override
            public void takeGradOwnership(Tensor leaf) {
                leaf.gradOwner = leaf.grad == null ? null : Thread.currentThread();
            }

            @Override
            public Scope openTemporaryScope() {
                return Scope.openTemporary();
            }
        });
    }

    private final long id;
    private final Device device;
    private final DType dtype;
    private final Shape shape;
    private final long[] strides;
    private final long offset;
    private final Storage storage;
    private boolean requiresGrad;
    private Tensor grad;
    /** The thread that made {@link #grad}: only it adds to or zeros it (see {@link #checkGradThread}). */
    private Thread gradOwner;
    private Node gradFn;
    /** Run after backward has accumulated this leaf's gradient for the pass (null until one is registered). */
    private List<Consumer<Tensor>> postAccumulateHooks;
    /** The scope that will close this tensor (its token), or null. */
    Scope.Owner scope;
    private volatile boolean closed;

    private Tensor(Device device, DType dtype, Shape shape, long[] strides, long offset, Storage storage) {
        this(device, dtype, shape, strides, offset, storage, false);
    }

    /** {@code saved}: a view autograd keeps for backward, registered outside the library's temporary scopes. */
    private Tensor(Device device, DType dtype, Shape shape, long[] strides, long offset, Storage storage,
                   boolean saved) {
        this.id = IDS.getAndIncrement();
        this.device = device;
        this.dtype = dtype;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.storage = storage;
        LIVE.incrementAndGet();
        if (saved) {
            Scope.registerOutsideTemporaries(this);
        } else {
            Scope.register(this);
        }
    }

    /** The id the next tensor created will get (tensor ids increase in creation order). */
    public static long nextId() {
        return IDS.get();
    }

    // ------------------------------------------------------------------ factories

    /** A new contiguous tensor with unspecified contents. */
    public static Tensor empty(Device device, DType dtype, Shape shape) {
        if (!device.supports(dtype)) {
            throw new UnsupportedOperationException("empty: backend " + device.backend().name()
                    + " does not support dtype " + dtype.shortName());
        }
        Buffer b = device.backend().allocate(dtype, shape.numel());
        return new Tensor(device, dtype, shape, shape.contiguousStrides(), 0, new Storage(b));
    }

    /** A new contiguous tensor with unspecified contents. */
    public static Tensor empty(Device device, DType dtype, int... shape) {
        return empty(device, dtype, Shape.of(shape));
    }

    /** Float32 zeros. */
    public static Tensor zeros(Device device, int... shape) {
        return full(device, DType.FLOAT32, 0, shape);
    }

    /** Zeros of the given dtype. */
    public static Tensor zeros(Device device, DType dtype, int... shape) {
        return full(device, dtype, 0, shape);
    }

    /** Float32 ones. */
    public static Tensor ones(Device device, int... shape) {
        return full(device, DType.FLOAT32, 1, shape);
    }

    /** Ones of the given dtype. */
    public static Tensor ones(Device device, DType dtype, int... shape) {
        return full(device, dtype, 1, shape);
    }

    /** Float32 tensor filled with {@code value}. */
    public static Tensor full(Device device, double value, int... shape) {
        return full(device, DType.FLOAT32, value, shape);
    }

    /** Tensor of the given dtype filled with {@code value}. */
    public static Tensor full(Device device, DType dtype, double value, int... shape) {
        Tensor t = empty(device, dtype, Shape.of(shape));
        device.backend().fill(t.storage.buffer, 0, t.numel(), value);
        return t;
    }

    /** A float32 scalar (rank 0). */
    public static Tensor scalar(Device device, double value) {
        return full(device, DType.FLOAT32, value);
    }

    /**
     * A float32 tensor holding {@code data} in row-major order. With no shape given it is 1-D.
     *
     * @throws IllegalArgumentException if the shape's element count differs from {@code data.length}
     */
    public static Tensor of(Device device, float[] data, int... shape) {
        Shape s = hostShape("of", data.length, shape);
        Tensor t = empty(device, DType.FLOAT32, s);
        device.backend().copyFromHost(java.nio.FloatBuffer.wrap(data), t.storage.buffer, 0);
        return t;
    }

    /** A float64 tensor holding {@code data} in row-major order (1-D when no shape is given). */
    public static Tensor of(Device device, double[] data, int... shape) {
        Shape s = hostShape("of", data.length, shape);
        Tensor t = empty(device, DType.FLOAT64, s);
        device.backend().copyFromHost(java.nio.DoubleBuffer.wrap(data), t.storage.buffer, 0);
        return t;
    }

    /** An INT32 tensor (class labels, indices) holding {@code data} (1-D when no shape is given). */
    public static Tensor of(Device device, int[] data, int... shape) {
        Shape s = hostShape("of", data.length, shape);
        Tensor t = empty(device, DType.INT32, s);
        device.backend().copyFromHost(java.nio.IntBuffer.wrap(data), t.storage.buffer, 0);
        return t;
    }

    /** A float32 matrix from rows of equal length. */
    public static Tensor of(Device device, float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] flat = new float[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != cols) {
                throw new IllegalArgumentException("of: row " + r + " has " + rows[r].length
                        + " values but row 0 has " + cols + "; rows must have equal length");
            }
            System.arraycopy(rows[r], 0, flat, r * cols, cols);
        }
        return of(device, flat, rows.length, cols);
    }

    /** Float32 {@code 0, 1, ..., n-1}. */
    public static Tensor arange(Device device, int n) {
        return arange(device, 0, n, 1);
    }

    /** Float32 values from {@code start} (inclusive) to {@code end} (exclusive) by {@code step}. */
    public static Tensor arange(Device device, double start, double end, double step) {
        if (step == 0 || Double.isNaN(step)) {
            throw new IllegalArgumentException("arange: step must be non-zero, got " + step);
        }
        int n = (int) Math.max(0, Math.ceil((end - start) / step));
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (start + i * step);
        }
        return of(device, v, n);
    }

    /** Float32 uniform samples in [0, 1) drawn from {@code rng}. */
    public static Tensor rand(Device device, Rng rng, int... shape) {
        return rand(device, DType.FLOAT32, rng, shape);
    }

    /** Uniform samples in [0, 1) of a floating dtype drawn from {@code rng}. */
    public static Tensor rand(Device device, DType dtype, Rng rng, int... shape) {
        return sample(device, dtype, rng, false, shape);
    }

    /** Float32 standard-normal samples drawn from {@code rng}. */
    public static Tensor randn(Device device, Rng rng, int... shape) {
        return randn(device, DType.FLOAT32, rng, shape);
    }

    /** Standard-normal samples of a floating dtype drawn from {@code rng}. */
    public static Tensor randn(Device device, DType dtype, Rng rng, int... shape) {
        return sample(device, dtype, rng, true, shape);
    }

    private static Tensor sample(Device device, DType dtype, Rng rng, boolean normal, int... shape) {
        Shape s = Shape.of(shape);
        int n = Math.toIntExact(s.numel());
        if (dtype == DType.FLOAT64) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = normal ? rng.nextGaussian() : rng.nextDouble();
            }
            return of(device, v, shape);
        }
        if (dtype != DType.FLOAT32) {
            throw new IllegalArgumentException((normal ? "randn" : "rand") + ": dtype must be floating, got "
                    + dtype.shortName());
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = normal ? (float) rng.nextGaussian() : rng.nextFloat();
        }
        return of(device, v, shape);
    }

    private static Shape hostShape(String op, int length, int[] shape) {
        Shape s = shape.length == 0 ? Shape.of(length) : Shape.of(shape);
        if (s.numel() != length) {
            throw new IllegalArgumentException(op + ": shape " + s + " holds " + s.numel() + " elements but "
                    + length + " values were given");
        }
        return s;
    }

    // ------------------------------------------------------------------ properties

    /** Unique id, increasing in creation order. */
    public long id() {
        return id;
    }

    /** The device holding this tensor. */
    public Device device() {
        return device;
    }

    /** The element type. */
    public DType dtype() {
        return dtype;
    }

    /** The shape. */
    public Shape shape() {
        return shape;
    }

    /** A copy of the axis sizes. */
    public int[] dims() {
        return shape.dims();
    }

    /** Size of one axis (negative counts from the end). */
    public int dim(int axis) {
        return shape.dim(axis);
    }

    /** Number of axes. */
    public int rank() {
        return shape.rank();
    }

    /** Number of elements. */
    public long numel() {
        return shape.numel();
    }

    /** Element strides of this view (a copy). */
    public long[] strides() {
        return strides.clone();
    }

    /** Element offset of this view into its buffer. */
    public long offset() {
        return offset;
    }

    /**
     * The device buffer under this view, for kernels and backend code.
     *
     * @throws IllegalStateException if the tensor was closed
     */
    public Buffer buffer() {
        checkOpen("buffer");
        return storage.buffer();
    }

    /** The backend running this tensor's kernels. */
    public Backend backend() {
        return device.backend();
    }

    /** Whether the elements are laid out densely in row-major order (size-1 axes ignored). */
    public boolean isContiguous() {
        long expected = 1;
        for (int i = shape.rank() - 1; i >= 0; i--) {
            int d = shape.dim(i);
            if (d != 1 && strides[i] != expected) {
                return false;
            }
            expected *= d;
        }
        return true;
    }

    /** Whether {@link #close()} has been called (directly or by a scope). */
    public boolean isClosed() {
        return closed;
    }

    // ------------------------------------------------------------------ autograd

    /** Whether gradients flow to (or through) this tensor. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * Marks a leaf tensor as a parameter whose gradient {@link #backward()} computes. A tensor
     * that requires grad is no longer closed by its scope: it lives until closed or collected.
     *
     * @return this tensor
     * @throws IllegalArgumentException for an integer tensor
     * @throws IllegalStateException    to turn off grad on a non-leaf (use {@link #detach()})
     */
    public Tensor requiresGrad(boolean value) {
        if (value && !dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("requiresGrad: only floating tensors can require grad, this is "
                    + dtype.shortName());
        }
        if (!value && gradFn != null) {
            throw new IllegalStateException("requiresGrad(false): this tensor is the output of '"
                    + gradFn.function().name() + "'; use detach() for a tensor without grad");
        }
        requiresGrad = value;
        if (value) {
            detachFromScope();
        }
        return this;
    }

    /** The accumulated gradient of a leaf after {@link #backward()}, or null. */
    public Tensor grad() {
        return grad;
    }

    /** The graph node that produced this tensor, or null for leaves. */
    public Node gradFn() {
        return gradFn;
    }

    /** Whether this tensor was not produced by a recorded op (parameters and inputs are leaves). */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /**
     * Registers {@code hook} to run after {@link #backward()} has accumulated this leaf's gradient
     * for the pass: once per backward pass in which the leaf received a gradient, on the thread
     * running backward, as soon as no later part of the pass adds to {@link #grad()} — possibly
     * before backward returns, so that work on finished gradients (an all-reduce of a bucket of
     * them) overlaps with the rest of the pass. Tensors the hook creates on this thread are closed
     * when backward returns unless it keeps them with {@link #detachFromScope()}.
     *
     * @return a handle that unregisters the hook
     * @throws IllegalStateException if this tensor is not a leaf that requires grad
     */
    public HookHandle registerPostAccumulateGradHook(Consumer<Tensor> hook) {
        if (hook == null) {
            throw new IllegalArgumentException("registerPostAccumulateGradHook: hook is null");
        }
        if (!requiresGrad || gradFn != null) {
            throw new IllegalStateException("registerPostAccumulateGradHook: only a leaf that requires grad accumulates "
                    + "a gradient; this " + describe() + " is " + (gradFn != null ? "the output of '"
                    + gradFn.function().name() + "'" : "not requiring grad"));
        }
        if (postAccumulateHooks == null) {
            postAccumulateHooks = new CopyOnWriteArrayList<>();
        }
        List<Consumer<Tensor>> hooks = postAccumulateHooks;
        hooks.add(hook);
        return () -> hooks.remove(hook);
    }

    /**
     * Sets {@link #grad()} to zero in place, keeping its buffer (stable addresses step to step). The
     * fill happens when the gradient is next read, and not at all when the next backward writes a
     * whole new gradient into it (then it is copied in rather than added to zeros).
     */
    public void zeroGrad() {
        if (grad != null) {
            checkGradThread("zeroGrad");
            grad.storage.bumpVersion();
            if (grad.isContiguous()) {
                grad.storage.zeroLater(grad.offset, grad.numel());
            } else {
                NoGradOps.fill(grad, 0);
            }
        }
    }

    /** Closes and drops {@link #grad()}; the next backward's gradient belongs to the thread that makes it. */
    public void clearGrad() {
        if (grad != null) {
            grad.close();
            grad = null;
            gradOwner = null;
        }
    }

    /**
     * A gradient is added to and zeroed by one thread: two threads training one model would
     * otherwise mix their gradients without any error. One field read per call.
     */
    private void checkGradThread(String op) {
        Thread me = Thread.currentThread();
        if (gradOwner != me && gradOwner != null) {
            throw new IllegalStateException(op + ": the gradient of " + describe() + " belongs to thread '"
                    + gradOwner.getName() + "', not '" + me.getName() + "': a model is confined to one thread; give "
                    + "each thread its own model, or hand it over (Optimizer.useFromThisThread(), or clearGrad())");
        }
    }

    /**
     * Replaces {@link #grad()} (e.g. after all-reducing gradients); the tensor is taken over.
     *
     * @throws IllegalArgumentException if shape, dtype or device differ from this tensor's
     */
    public void setGrad(Tensor g) {
        if (g != null && (!g.shape.equals(shape) || g.dtype != dtype || g.device != device)) {
            throw new IllegalArgumentException("setGrad: gradient " + g.describe() + " does not match tensor "
                    + describe());
        }
        if (grad != null && grad != g) {
            grad.close();
        }
        if (g == null) {
            gradOwner = null;
        } else if (grad == null) {
            gradOwner = Thread.currentThread();
        }
        grad = g == null ? null : g.detachFromScope();
    }

    /** Backpropagates from this one-element tensor: fills {@code grad()} of every leaf that requires grad. */
    public void backward() {
        Backprop.run(this, null, false);
    }

    /** Backpropagates with an explicit seed gradient {@code dLoss/dThis} of this tensor's shape. */
    public void backward(Tensor seed) {
        Backprop.run(this, seed, false);
    }

    /**
     * Backpropagates; with {@code retainGraph} the graph and its saved tensors stay for another
     * backward. {@code seed} may be null for a one-element tensor.
     */
    public void backward(Tensor seed, boolean retainGraph) {
        Backprop.run(this, seed, retainGraph);
    }

    /** A view of the same data that is not part of any graph and does not require grad. */
    public Tensor detach() {
        return view(shape, strides, offset);
    }

    /**
     * Removes this tensor from the scope it was created in: it then lives until closed or
     * garbage-collected (optimizer state, cached constants).
     *
     * @return this tensor
     */
    public Tensor detachFromScope() {
        scope = null;
        guardStorage();
        return this;
    }

    /** This tensor's buffer is now held outside the scopes: give it the garbage-collection safety net. */
    void guardStorage() {
        storage.guard();
    }

    /** See {@link TensorInternals.Hooks#adoptGrad}: a gradient made by backward becomes grad() as is. */
    private boolean adopt(Tensor g) {
        checkOpen("backward");
        if (grad != null || g.closed || g.offset != 0 || !g.isContiguous() || g.dtype != dtype || g.device != device
                || !g.shape.equals(shape) || g.requiresGrad || g.storage.buffer.size() != g.numel()
                || !g.storage.exclusive()) {
            return false;
        }
        grad = g.detachFromScope();
        gradOwner = Thread.currentThread();
        return true;
    }

    private void accumulate(Tensor g) {
        checkOpen("backward");
        if (grad != null) {
            checkGradThread("backward");
            grad.storage.bumpVersion();
        }
        if (grad == null) {
            grad = NoGradOps.copy(g).detachFromScope();
            gradOwner = Thread.currentThread();
        } else if (grad.isContiguous() && g.shape().equals(grad.shape())
                && grad.storage.takeZeroPending(grad.offset, grad.numel())) {
            NoGradOps.copyInto(g, grad);
        } else {
            NoGradOps.binaryInto("backward", BinaryOp.ADD, grad, g, grad);
        }
    }

    // ------------------------------------------------------------------ views (raw)

    /**
     * A raw view of this tensor's buffer with the given geometry, sharing memory and recording no
     * gradient. Ops build differentiable views on it; users rarely need it.
     *
     * @throws IllegalArgumentException if the view reaches outside the buffer
     */
    public Tensor asStrided(Shape newShape, long[] newStrides, long newOffset) {
        if (newStrides.length != newShape.rank()) {
            throw new IllegalArgumentException("asStrided: " + newStrides.length + " strides for shape " + newShape);
        }
        if (newShape.numel() > 0) {
            long lo = newOffset, hi = newOffset;
            for (int i = 0; i < newShape.rank(); i++) {
                long span = (long) (newShape.dim(i) - 1) * newStrides[i];
                if (span < 0) {
                    lo += span;
                } else {
                    hi += span;
                }
            }
            if (lo < 0 || hi >= buffer().size()) {
                throw new IllegalArgumentException("asStrided: view " + newShape + " strides "
                        + Arrays.toString(newStrides) + " offset " + newOffset + " reaches outside the buffer of "
                        + buffer().size() + " elements");
            }
        }
        return view(newShape, newStrides.clone(), newOffset);
    }

    private Tensor view(Shape newShape, long[] newStrides, long newOffset) {
        checkOpen("view");
        storage.retain();
        return new Tensor(device, dtype, newShape, newStrides, newOffset, storage);
    }

    // ------------------------------------------------------------------ arithmetic

    /** Elementwise sum with broadcasting. */
    public Tensor add(Tensor other) {
        return Arithmetic.apply(BinaryOp.ADD, this, other);
    }

    /** Adds a scalar to every element. */
    public Tensor add(double value) {
        return Unary.apply(UnaryOp.ADD_SCALAR, value, this);
    }

    /** Elementwise difference with broadcasting. */
    public Tensor sub(Tensor other) {
        return Arithmetic.apply(BinaryOp.SUB, this, other);
    }

    /** Subtracts a scalar from every element. */
    public Tensor sub(double value) {
        return Unary.apply(UnaryOp.ADD_SCALAR, -value, this);
    }

    /** Elementwise product with broadcasting. */
    public Tensor mul(Tensor other) {
        return Arithmetic.apply(BinaryOp.MUL, this, other);
    }

    /** Multiplies every element by a scalar. */
    public Tensor mul(double value) {
        return Unary.apply(UnaryOp.SCALE, value, this);
    }

    /** Elementwise quotient with broadcasting. */
    public Tensor div(Tensor other) {
        return Arithmetic.apply(BinaryOp.DIV, this, other);
    }

    /** Divides every element by a scalar. */
    public Tensor div(double value) {
        return Unary.apply(UnaryOp.SCALE, 1.0 / value, this);
    }

    /** Elementwise larger of this and {@code other} (gradient to the larger; to this on ties). */
    public Tensor maximum(Tensor other) {
        return Arithmetic.apply(BinaryOp.MAX, this, other);
    }

    /** Elementwise smaller of this and {@code other} (gradient to the smaller; to this on ties). */
    public Tensor minimum(Tensor other) {
        return Arithmetic.apply(BinaryOp.MIN, this, other);
    }

    /** {@code -x}. */
    public Tensor neg() {
        return Unary.apply(UnaryOp.NEG, 0, this);
    }

    /** {@code x^exponent} for a scalar exponent. */
    public Tensor pow(double exponent) {
        return Unary.apply(UnaryOp.POW, exponent, this);
    }

    /** {@code x^exponent} elementwise with broadcasting (gradients to both). */
    public Tensor pow(Tensor exponent) {
        return Arithmetic.apply(BinaryOp.POW, this, exponent);
    }

    /** {@code x²}. */
    public Tensor square() {
        return Unary.apply(UnaryOp.SQUARE, 0, this);
    }

    /** {@code 1/x}. */
    public Tensor reciprocal() {
        return Unary.apply(UnaryOp.RECIPROCAL, 0, this);
    }

    /** {@code e^x}. */
    public Tensor exp() {
        return Unary.apply(UnaryOp.EXP, 0, this);
    }

    /** Natural logarithm. */
    public Tensor log() {
        return Unary.apply(UnaryOp.LOG, 0, this);
    }

    /** Square root. */
    public Tensor sqrt() {
        return Unary.apply(UnaryOp.SQRT, 0, this);
    }

    /** Absolute value (gradient 0 at 0). */
    public Tensor abs() {
        return Unary.apply(UnaryOp.ABS, 0, this);
    }

    /** {@code max(x, 0)} (gradient 0 at 0). */
    public Tensor relu() {
        return Unary.apply(UnaryOp.RELU, 0, this);
    }

    /** {@code x > 0 ? x : slope·x}. */
    public Tensor leakyRelu(double slope) {
        if (!Double.isFinite(slope)) {
            throw new IllegalArgumentException("leakyRelu: the negative slope must be finite, got " + slope);
        }
        return Unary.apply(UnaryOp.LEAKY_RELU, slope, this);
    }

    /** {@code 1 / (1 + e^-x)}. */
    public Tensor sigmoid() {
        return Unary.apply(UnaryOp.SIGMOID, 0, this);
    }

    /** -1, 0 or 1 by the sign of each element (gradient 0). */
    public Tensor sign() {
        return Unary.apply(UnaryOp.SIGN, 0, this);
    }

    /** {@code ln(1 + e^x)}, a smooth ReLU (gradient: sigmoid). */
    public Tensor softplus() {
        return Unary.apply(UnaryOp.SOFTPLUS, 0, this);
    }

    /** {@code x·sigmoid(x)} (SiLU, swish). */
    public Tensor silu() {
        return Unary.apply(UnaryOp.SILU, 0, this);
    }

    /** Hyperbolic tangent. */
    public Tensor tanh() {
        return Unary.apply(UnaryOp.TANH, 0, this);
    }

    /** 1 where {@code this == other}, else 0 (broadcasting; no gradient). */
    public Tensor eq(Tensor other) {
        return Arithmetic.apply(BinaryOp.EQ, this, other);
    }

    /** 1 where {@code this > other}, else 0 (broadcasting; no gradient). */
    public Tensor gt(Tensor other) {
        return Arithmetic.apply(BinaryOp.GT, this, other);
    }

    /** 1 where {@code this < other}, else 0 (broadcasting; no gradient). */
    public Tensor lt(Tensor other) {
        return Arithmetic.apply(BinaryOp.LT, this, other);
    }

    /** 1 where {@code this >= other}, else 0 (broadcasting; no gradient). */
    public Tensor ge(Tensor other) {
        return Arithmetic.apply(BinaryOp.GE, this, other);
    }

    /** 1 where {@code this <= other}, else 0 (broadcasting; no gradient). */
    public Tensor le(Tensor other) {
        return Arithmetic.apply(BinaryOp.LE, this, other);
    }

    /** 1 where {@code this != other}, else 0 (broadcasting; no gradient). */
    public Tensor ne(Tensor other) {
        return Arithmetic.apply(BinaryOp.NE, this, other);
    }

    /** 1 where {@code this > value}, else 0, in this tensor's dtype (no gradient). */
    public Tensor gt(double value) {
        return compareScalar(BinaryOp.GT, value);
    }

    /** 1 where {@code this < value}, else 0, in this tensor's dtype (no gradient). */
    public Tensor lt(double value) {
        return compareScalar(BinaryOp.LT, value);
    }

    /** 1 where {@code this == value}, else 0, in this tensor's dtype (no gradient). */
    public Tensor eq(double value) {
        return compareScalar(BinaryOp.EQ, value);
    }

    private Tensor compareScalar(BinaryOp op, double value) {
        try (Tensor v = full(device, dtype, value)) {
            return Arithmetic.apply(op, this, v);
        }
    }

    // ------------------------------------------------------------------ linear algebra

    /**
     * Matrix product: {@code [m, k] @ [k, n]}, batched {@code [b, m, k] @ [b, k, n]}, or
     * {@code [..., m, k] @ [k, n]}. Transposed views are multiplied without copying.
     */
    public Tensor matmul(Tensor other) {
        return MatMul.apply(this, other);
    }

    // ------------------------------------------------------------------ shape

    /** Swaps the last two axes (a view). */
    public Tensor transpose() {
        if (rank() < 2) {
            throw new IllegalArgumentException("transpose: needs at least 2 axes, shape is " + shape);
        }
        return Views.transpose(this, -2, -1);
    }

    /** Swaps two axes (a view). */
    public Tensor transpose(int axis0, int axis1) {
        return Views.transpose(this, axis0, axis1);
    }

    /** Reorders the axes: axis {@code i} of the result is axis {@code order[i]} of this (a view). */
    public Tensor permute(int... order) {
        return Views.permute(this, order);
    }

    /** Same elements in a new shape; one size may be -1 (inferred). A view when the layout allows. */
    public Tensor reshape(int... newShape) {
        return Views.reshape(this, newShape);
    }

    /** Reshapes to 1-D. */
    public Tensor flatten() {
        return Views.reshape(this, Math.toIntExact(numel()));
    }

    /** Inserts an axis of size 1 at {@code axis}. */
    public Tensor unsqueeze(int axis) {
        return Views.unsqueeze(this, axis);
    }

    /** Removes axis {@code axis}, which must have size 1. */
    public Tensor squeeze(int axis) {
        return Views.squeeze(this, axis);
    }

    /** Elements {@code start} (inclusive) to {@code end} (exclusive) along {@code axis} (a view; negative indices count from the end). */
    public Tensor slice(int axis, int start, int end) {
        return Views.slice(this, axis, start, end);
    }

    /** Index {@code index} along {@code axis}, removing that axis (a view). */
    public Tensor select(int axis, int index) {
        return Views.select(this, axis, index);
    }

    /** Broadcasts size-1 axes to {@code newShape} (a view with zero strides; -1 keeps a size). */
    public Tensor expand(int... newShape) {
        return Views.expand(this, newShape);
    }

    /** Sums broadcast axes away so the result has {@code target} shape (the adjoint of broadcasting). */
    public Tensor sumTo(Shape target) {
        return Reductions.sumTo(this, target);
    }

    /** Joins tensors of equal shapes (except along {@code axis}) along {@code axis}. */
    public static Tensor concat(int axis, Tensor... tensors) {
        return Concat.apply(axis, tensors);
    }

    /** This tensor if contiguous, else a contiguous copy (gradient flows through). */
    public Tensor contiguous() {
        return isContiguous() ? this : Views.contiguous(this);
    }

    // ------------------------------------------------------------------ reductions

    /** Sum of all elements (a scalar). */
    public Tensor sum() {
        return Reductions.reduce(ReduceOp.SUM, this, allAxes(), false);
    }

    /** Sum along one axis, removing it. */
    public Tensor sum(int axis) {
        return Reductions.reduce(ReduceOp.SUM, this, new int[] {axis}, false);
    }

    /** Sum along {@code axes}, keeping them as size 1 when {@code keepDim}. */
    public Tensor sum(int[] axes, boolean keepDim) {
        return Reductions.reduce(ReduceOp.SUM, this, axes, keepDim);
    }

    /** Mean of all elements (a scalar). */
    public Tensor mean() {
        return Reductions.reduce(ReduceOp.MEAN, this, allAxes(), false);
    }

    /** Mean along one axis, removing it. */
    public Tensor mean(int axis) {
        return Reductions.reduce(ReduceOp.MEAN, this, new int[] {axis}, false);
    }

    /** Mean along {@code axes}, keeping them as size 1 when {@code keepDim}. */
    public Tensor mean(int[] axes, boolean keepDim) {
        return Reductions.reduce(ReduceOp.MEAN, this, axes, keepDim);
    }

    /** Largest element (gradient shared equally among ties). */
    public Tensor max() {
        return Reductions.reduce(ReduceOp.MAX, this, allAxes(), false);
    }

    /** Largest value along one axis, removing it. */
    public Tensor max(int axis) {
        return Reductions.reduce(ReduceOp.MAX, this, new int[] {axis}, false);
    }

    /** Largest value along {@code axes}, keeping them as size 1 when {@code keepDim}. */
    public Tensor max(int[] axes, boolean keepDim) {
        return Reductions.reduce(ReduceOp.MAX, this, axes, keepDim);
    }

    /** Smallest value along {@code axes}, keeping them as size 1 when {@code keepDim}. */
    public Tensor min(int[] axes, boolean keepDim) {
        return Reductions.reduce(ReduceOp.MIN, this, axes, keepDim);
    }

    /** INT32 index of the largest value along {@code axis} (first on ties; no gradient). */
    public Tensor argMax(int axis) {
        return NoGradOps.argMax(this, axis, false);
    }

    private int[] allAxes() {
        int[] a = new int[rank()];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        return a;
    }

    // ------------------------------------------------------------------ neural-network ops

    /** Softmax over the last axis (stable). */
    public Tensor softmax() {
        return SoftmaxOp.softmax(this, -1);
    }

    /** Softmax over {@code axis} (stable). */
    public Tensor softmax(int axis) {
        return SoftmaxOp.softmax(this, axis);
    }

    /** Log-softmax over the last axis (stable). */
    public Tensor logSoftmax() {
        return SoftmaxOp.logSoftmax(this, -1);
    }

    /** Log-softmax over {@code axis} (stable). */
    public Tensor logSoftmax(int axis) {
        return SoftmaxOp.logSoftmax(this, axis);
    }

    /**
     * Mean cross-entropy of these {@code [rows, classes]} logits against INT32 {@code labels} of
     * shape {@code [rows]}, fused and numerically stable; the gradient is
     * {@code (softmax - onehot) / rows}.
     *
     * @throws IllegalArgumentException if a label is negative or {@code >= classes} (naming row and label)
     */
    public Tensor softmaxCrossEntropy(Tensor labels) {
        return Losses.softmaxCrossEntropy(this, labels);
    }

    /** Mean squared error against {@code target} of the same shape. */
    public Tensor mseLoss(Tensor target) {
        return Losses.mse(this, target);
    }

    /**
     * Inverted dropout: each element is zeroed with probability {@code p}, survivors scaled by
     * {@code 1/(1-p)}; the mask is drawn from {@code seed} with Philox, identical on every backend.
     * Apply only in training ({@code nn.Dropout} does this).
     */
    public Tensor dropout(double p, long seed) {
        return DropoutOp.apply(this, p, seed);
    }

    /** Inverted dropout with a seed drawn from {@code rng}. */
    public Tensor dropout(double p, Rng rng) {
        return DropoutOp.apply(this, p, rng.nextLong());
    }

    // ------------------------------------------------------------------ in-place (no graph)

    /**
     * {@code this += other} (broadcast to this shape), in place.
     *
     * @throws IllegalStateException if this tensor requires grad and grad mode is on
     */
    public Tensor addInPlace(Tensor other) {
        checkInPlace("addInPlace");
        NoGradOps.binaryInto("addInPlace", BinaryOp.ADD, this, other, this);
        return this;
    }

    /** {@code this -= other} (broadcast to this shape), in place. */
    public Tensor subInPlace(Tensor other) {
        checkInPlace("subInPlace");
        NoGradOps.binaryInto("subInPlace", BinaryOp.SUB, this, other, this);
        return this;
    }

    /** {@code this *= other} (broadcast to this shape), in place. */
    public Tensor mulInPlace(Tensor other) {
        checkInPlace("mulInPlace");
        NoGradOps.binaryInto("mulInPlace", BinaryOp.MUL, this, other, this);
        return this;
    }

    /** {@code this *= value}, in place. */
    public Tensor mulInPlace(double value) {
        checkInPlace("mulInPlace");
        NoGradOps.unaryInto(UnaryOp.SCALE, value, this, this);
        return this;
    }

    /** Copies {@code src} (broadcast to this shape, same dtype) into this tensor's elements. */
    public Tensor copyFrom(Tensor src) {
        checkInPlace("copyFrom");
        NoGradOps.copyInto(src, this);
        return this;
    }

    /** Sets every element to {@code value}. */
    public Tensor fillInPlace(double value) {
        checkInPlace("fillInPlace");
        NoGradOps.fill(this, value);
        return this;
    }

    /** Element {@code flatIndex} in row-major order of this view, as a double. */
    public double getElement(long flatIndex) {
        return NoGradOps.getElement(this, flatIndex);
    }

    /** Sets element {@code flatIndex} (row-major order of this view); for numerical gradients. */
    public void setElement(long flatIndex, double value) {
        checkInPlace("setElement");
        NoGradOps.setElement(this, flatIndex, value);
    }

    /**
     * Refuses an in-place change that would corrupt gradients, then counts it: a tensor saved for a
     * backward pass that is changed now makes that backward fail instead of silently using the new
     * values (see {@link dev.nabla.autograd.SavedTensor}).
     */
    private void checkInPlace(String op) {
        checkOpen(op);
        if (requiresGrad && GradMode.isEnabled()) {
            throw new IllegalStateException(op + ": in-place change of a tensor that requires grad would corrupt "
                    + "gradients; do it inside Nabla.noGrad()");
        }
        storage.bumpVersion();
    }

    // ------------------------------------------------------------------ conversion

    /**
     * The single value of a one-element tensor.
     *
     * @throws IllegalStateException if the tensor has more or fewer than one element
     */
    public double item() {
        if (numel() != 1) {
            throw new IllegalStateException("item: tensor of shape " + shape + " has " + numel()
                    + " elements; item() needs exactly one");
        }
        return getElement(0);
    }

    /** All elements in row-major order as floats (converting from the dtype). */
    public float[] toFloatArray() {
        return HostData.toFloats(this);
    }

    /** All elements in row-major order as doubles. */
    public double[] toDoubleArray() {
        return HostData.toDoubles(this);
    }

    /** All elements in row-major order as ints (floats truncate toward zero). */
    public int[] toIntArray() {
        return HostData.toInts(this);
    }

    /** A copy on {@code target} (this tensor if already there); gradient flows back across devices. */
    public Tensor to(Device target) {
        return target == device ? this : Cast.toDevice(this, target);
    }

    /** A copy converted to {@code target} dtype (this tensor if already that dtype). */
    public Tensor to(DType target) {
        return target == dtype ? this : Cast.toDType(this, target);
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Releases this view's hold on the device buffer (freed when no view holds it) and closes
     * {@link #grad()}. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LIVE.decrementAndGet();
        if (grad != null) {
            grad.close();
        }
        storage.release();
    }

    private void checkOpen(String op) {
        if (closed) {
            throw new IllegalStateException(op + ": tensor " + describe() + " is closed (by close() or its scope); "
                    + "use Scope.keep(t) to keep a tensor beyond its scope");
        }
    }

    /** Short description: {@code [2, 3] float32 on cpu}. */
    public String describe() {
        return shape + " " + dtype.shortName() + " on " + device;
    }

    /** NumPy-like rendering of the values, e.g. {@code tensor([[1., 2.], [3., 4.]], float32, cpu)}. */
    @Override
    public String toString() {
        if (closed) {
            return "tensor(<closed> " + describe() + ")";
        }
        return TensorFormat.format(this);
    }
}

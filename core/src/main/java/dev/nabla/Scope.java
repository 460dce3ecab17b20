package dev.nabla;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;

/**
 * Deterministic release of device memory: every tensor created on this thread while the scope is
 * the innermost open one is closed when the scope closes, except tensors moved out with
 * {@link #keep(Tensor)}, parameters (leaves with {@code requiresGrad(true)}) and gradients held in
 * {@code grad()}.
 *
 * <pre>{@code
 * for (Batch b : loader) {
 *     try (Scope s = Nabla.scope()) {
 *         Tensor loss = model.forward(b.x()).softmaxCrossEntropy(b.y());
 *         loss.backward();
 *         optimizer.step();
 *         lossValue = loss.item();
 *     }   // activations, gradients of intermediates, temporaries: all freed here
 * }
 * }</pre>
 *
 * Scopes nest and must be closed in reverse order of opening, on the thread that opened them.
 */
public final class Scope implements AutoCloseable {
    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

    /**
     * What a tensor records as its scope: a token, not the scope itself, so that a scope dropped
     * without being closed (its thread ended) can become unreachable while its tensors are still
     * listed, and its {@link Lost} action runs.
     */
    static final class Owner {
    }

    private final Scope parent;
    private final Thread thread;
    final Owner owner = new Owner();
    private final List<Tensor> tensors;
    private final Cleaner.Cleanable lost;
    /** A scope of the library's own temporaries (see {@link #openTemporary()}). */
    private final boolean temporary;
    private boolean closed;

    private Scope(Scope parent, boolean temporary) {
        this.parent = parent;
        this.thread = Thread.currentThread();
        this.temporary = temporary;
        this.tensors = new ArrayList<>(temporary ? 8 : 64);
        this.lost = temporary ? null : Storage.CLEANER.register(this, new Lost(owner, tensors));
    }

    /**
     * A scope collected without being closed: its tensors get the garbage-collection safety net they
     * did not need while the scope held them ({@link Storage}). Must not reference the scope.
     */
    private record Lost(Owner owner, List<Tensor> tensors) implements Runnable {
        @Override
        public void run() {
            for (Tensor t : tensors) {
                if (t.scope == owner) {
                    t.scope = null;
                    t.guardStorage();
                }
            }
        }
    }

    static Scope open() {
        Scope s = new Scope(CURRENT.get(), false);
        CURRENT.set(s);
        return s;
    }

    /**
     * A scope for the library's own temporaries (a backward pass, one backward rule): no
     * garbage-collection net is registered for it, so it must be closed in a finally block.
     */
    static Scope openTemporary() {
        Scope s = new Scope(CURRENT.get(), true);
        CURRENT.set(s);
        return s;
    }

    /** Registers a new tensor with the innermost open scope of this thread, if any. */
    static void register(Tensor t) {
        Scope s = CURRENT.get();
        if (s != null) {
            s.tensors.add(t);
            t.scope = s.owner;
        } else {
            t.guardStorage();
        }
    }

    /**
     * Registers a tensor that must outlive the library's temporary scopes (a view autograd saves for
     * backward) with the innermost user scope, if any.
     */
    static void registerOutsideTemporaries(Tensor t) {
        Scope s = CURRENT.get();
        while (s != null && s.temporary) {
            s = s.parent;
        }
        if (s != null) {
            s.tensors.add(t);
            t.scope = s.owner;
        } else {
            t.guardStorage();
        }
    }

    /**
     * Moves {@code t} out of this scope into the enclosing one (or out of all scopes when this is
     * the outermost), so it survives this scope's close.
     *
     * @return {@code t}
     */
    public <T extends Tensor> T keep(T t) {
        if (t.scope == owner) {
            if (parent != null) {
                t.scope = parent.owner;
                parent.tensors.add(t);
            } else {
                t.scope = null;
                t.guardStorage();
            }
        }
        return t;
    }

    /** Number of tensors this scope would close now. */
    public int size() {
        int n = 0;
        for (Tensor t : tensors) {
            if (t.scope == owner && !t.isClosed()) {
                n++;
            }
        }
        return n;
    }

    /**
     * Closes every tensor still owned by this scope.
     *
     * @throws IllegalStateException if called from another thread or while an inner scope is open
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("Scope.close: a scope must be closed by the thread that opened it ("
                    + thread.getName() + ")");
        }
        if (CURRENT.get() != this) {
            throw new IllegalStateException("Scope.close: an inner scope is still open; close scopes in reverse order");
        }
        closed = true;
        CURRENT.set(parent);
        for (int i = tensors.size() - 1; i >= 0; i--) {
            Tensor t = tensors.get(i);
            if (t.scope == owner) {
                t.scope = null;
                t.close();
            }
        }
        tensors.clear();
        if (lost != null) {
            lost.clean();
        }
    }
}

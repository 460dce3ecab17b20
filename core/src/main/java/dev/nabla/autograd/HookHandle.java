package dev.nabla.autograd;

/** A registered hook; {@link #remove()} unregisters it (idempotent). */
@FunctionalInterface
public interface HookHandle {
    /** Unregisters the hook; later calls do nothing. */
    void remove();
}

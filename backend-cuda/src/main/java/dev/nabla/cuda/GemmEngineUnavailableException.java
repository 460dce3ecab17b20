package dev.nabla.cuda;

/** Why a {@link GemmEngine} cannot be created here; the message is one short report line. */
public class GemmEngineUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GemmEngineUnavailableException(String reason) {
        super(reason);
    }

    public GemmEngineUnavailableException(String reason, Throwable cause) {
        super(reason, cause);
    }
}

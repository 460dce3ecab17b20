package dev.nabla.opencl;

/** Prints what the provider finds; run in a child JVM with a modified environment by {@link OpenClProviderTest}. */
public final class ProbeMain {
    private ProbeMain() {
    }

    public static void main(String[] args) {
        OpenClProvider p = new OpenClProvider();
        System.out.println("summary=" + p.report().summary());
        System.out.println("priority=" + p.priority());
    }
}

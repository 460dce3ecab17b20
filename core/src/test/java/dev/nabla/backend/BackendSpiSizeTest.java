package dev.nabla.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a new backend must implement, counted from the interface itself: the abstract methods of
 * {@link Backend}. The optional fast paths have defaults that return false. docs/architecture.md
 * quotes the count.
 */
class BackendSpiSizeTest {
    static final int REQUIRED_METHODS = 20;

    static List<String> required() {
        return Arrays.stream(Backend.class.getMethods())
                .filter(m -> Modifier.isAbstract(m.getModifiers()))
                .map(Method::getName).sorted().toList();
    }

    @Test
    void aNewBackendImplementsTwentyMethods() {
        assertThat(required()).as("abstract methods of Backend").hasSize(REQUIRED_METHODS);
    }

    @Test
    void everyOptionalFastPathDeclinesByDefault() throws Throwable {
        Backend bare = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    if (method.isDefault()) {
                        return InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    throw new AssertionError("a default fast path called the primitive " + method.getName());
                });
        int optional = 0;
        for (Method m : Backend.class.getMethods()) {
            if (m.isDefault() && m.getReturnType() == boolean.class) {
                Object[] args = new Object[m.getParameterCount()];
                Class<?>[] types = m.getParameterTypes();
                for (int i = 0; i < args.length; i++) {
                    args[i] = zero(types[i]);
                }
                assertThat(m.invoke(bare, args)).as(m.getName()).isEqualTo(Boolean.FALSE);
                optional++;
            }
        }
        assertThat(optional).as("optional fast paths").isEqualTo(6);
    }

    /** A value for a parameter of {@code type}: zero for primitives, null for references. */
    private static Object zero(Class<?> type) {
        if (type == boolean.class) {
            return Boolean.FALSE;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == double.class) {
            return 0.0;
        }
        return null;
    }
}

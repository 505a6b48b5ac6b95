package dev.shoal.sequencer.api.problem;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.UriInfo;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Locale;

/**
 * Finds which typed {@code @QueryParam}/{@code @PathParam} of a resource method the framework
 * failed to convert, so the 400 can name it. Resources should prefer String parameters parsed
 * with {@link Params}; this covers the ones that do not.
 */
final class ParameterDiagnosis {
    private ParameterDiagnosis() {}

    static InvalidParameterException explain(Method method, HttpServerRequest request, UriInfo uri, Throwable cause) {
        for (Parameter p : method.getParameters()) {
            String name = null;
            String raw = null;
            for (Annotation a : p.getAnnotations()) {
                if (a instanceof QueryParam q) {
                    name = q.value();
                    raw = request.getParam(name);
                } else if (a instanceof PathParam pp) {
                    name = pp.value();
                    raw = uri == null ? null : uri.getPathParameters().getFirst(name);
                }
            }
            if (name == null || raw == null) continue;
            String expected = expectation(p.getType());
            if (expected != null && !converts(p.getType(), raw)) {
                return new InvalidParameterException(name, "must be " + expected + ", got '" + Params.abbreviate(raw) + "'");
            }
        }
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new InvalidParameterException("(query or path)", "has a value that cannot be converted: " + Params.abbreviate(why));
    }

    private static String expectation(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == short.class || type == Short.class || type == byte.class || type == Byte.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) return "a number";
        if (type == boolean.class || type == Boolean.class) return "true or false";
        if (type.isEnum()) return "one of " + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT);
        return null;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static boolean converts(Class<?> type, String raw) {
        try {
            if (type == int.class || type == Integer.class) Integer.parseInt(raw);
            else if (type == long.class || type == Long.class) Long.parseLong(raw);
            else if (type == short.class || type == Short.class) Short.parseShort(raw);
            else if (type == byte.class || type == Byte.class) Byte.parseByte(raw);
            else if (type == double.class || type == Double.class) Double.parseDouble(raw);
            else if (type == float.class || type == Float.class) Float.parseFloat(raw);
            else if (type == boolean.class || type == Boolean.class) return "true".equalsIgnoreCase(raw) || "false".equalsIgnoreCase(raw);
            else if (type.isEnum()) Enum.valueOf((Class) type, raw);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

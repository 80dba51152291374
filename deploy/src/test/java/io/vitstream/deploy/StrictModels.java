package io.vitstream.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.KubernetesResource;

import java.beans.Introspector;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a manifest into fabric8's typed Kubernetes model and lists every field the model does not
 * know (fabric8 keeps those in {@code additionalProperties} instead of failing): a misspelt
 * {@code readinesProbe} or a field at the wrong level shows up here, as {@code kubectl apply
 * --validate=strict} would report it.
 */
final class StrictModels {

    private StrictModels() {}

    static List<String> unknownFields(JsonNode doc, Class<? extends KubernetesResource> type) {
        Object model = Repo.YAML.convertValue(doc, type);
        List<String> unknown = new ArrayList<>();
        walk(model, doc.path("kind").asText(), unknown, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        return unknown;
    }

    private static void walk(Object o, String path, List<String> unknown, Set<Object> seen) {
        if (o == null || !o.getClass().getName().startsWith("io.fabric8.") || !seen.add(o)) {
            if (o instanceof Collection<?> c) {
                int i = 0;
                for (Object e : c) {
                    walk(e, path + "[" + i++ + "]", unknown, seen);
                }
            } else if (o instanceof Map<?, ?> m) {
                m.forEach((k, v) -> walk(v, path + "." + k, unknown, seen));
            }
            return;
        }
        try {
            for (var p : Introspector.getBeanInfo(o.getClass()).getPropertyDescriptors()) {
                Method get = p.getReadMethod();
                if (get == null || get.getParameterCount() > 0 || p.getName().equals("class")) {
                    continue;
                }
                Object value = get.invoke(o);
                if (p.getName().equals("additionalProperties")) {
                    if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        extra.keySet().forEach(k -> unknown.add(path + "." + k));
                    }
                } else {
                    walk(value, path + "." + p.getName(), unknown, seen);
                }
            }
        } catch (ReflectiveOperationException | java.beans.IntrospectionException e) {
            throw new IllegalStateException("cannot inspect " + o.getClass().getName(), e);
        }
    }
}

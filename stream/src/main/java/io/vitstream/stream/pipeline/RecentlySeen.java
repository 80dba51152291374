package io.vitstream.stream.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Per-camera state with a bound: at most {@code capacity} keys, the least recently used one
 * forgotten when a new key would pass it. Keys come from producers, so state keyed by them must
 * not grow with every distinct key ever sent. Thread-safe (one lock; the work under it is a map
 * operation).
 */
public final class RecentlySeen<K, V> {

    private final int capacity;
    private final LinkedHashMap<K, V> map;

    public RecentlySeen(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("vitstream.limits.max-cameras must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > RecentlySeen.this.capacity;
            }
        };
    }

    /** The value of {@code key}, made by {@code create} if absent (which may evict the eldest). */
    public synchronized V computeIfAbsent(K key, Function<K, V> create) {
        return map.computeIfAbsent(key, create);
    }

    /** Replaces the value of {@code key} with {@code merge(old, value)}, or sets it. */
    public synchronized void merge(K key, V value, java.util.function.BinaryOperator<V> merge) {
        map.merge(key, value, merge);
    }

    /** The value, or null; counts as a use. */
    public synchronized V get(K key) {
        return map.get(key);
    }

    /** Every entry, least recently used first (a snapshot under the lock). */
    public synchronized void forEach(BiConsumer<K, V> action) {
        new LinkedHashMap<>(map).forEach(action);
    }

    public synchronized int size() {
        return map.size();
    }

    public int capacity() {
        return capacity;
    }

    /**
     * Removes the least recently used entry whose key is not {@code keep}.
     *
     * @return its value, or null when there is none
     */
    public synchronized V removeEldestExcept(K keep) {
        for (java.util.Iterator<Map.Entry<K, V>> it = map.entrySet().iterator(); it.hasNext();) {
            Map.Entry<K, V> e = it.next();
            if (!e.getKey().equals(keep)) {
                it.remove();
                return e.getValue();
            }
        }
        return null;
    }
}

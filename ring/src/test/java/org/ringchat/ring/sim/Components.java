package org.ringchat.ring.sim;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiPredicate;

/** The connected components of a relation between nodes: who can reach whom, through whom. */
final class Components {

    private Components() {
    }

    /**
     * The sets of {@code nodes} joined by {@code linked} taken either way, each set in the order
     * its members were reached from its first (the first of {@code nodes} not in an earlier set).
     */
    static <T> List<List<T>> of(List<T> nodes, BiPredicate<T, T> linked) {
        List<T> unreached = new ArrayList<>(nodes);
        List<List<T>> sets = new ArrayList<>();
        while (!unreached.isEmpty()) {
            List<T> set = new ArrayList<>(List.of(unreached.remove(0)));
            for (int i = 0; i < set.size(); i++) {
                T a = set.get(i);
                for (Iterator<T> it = unreached.iterator(); it.hasNext(); ) {
                    T b = it.next();
                    if (linked.test(a, b) || linked.test(b, a)) {
                        set.add(b);
                        it.remove();
                    }
                }
            }
            sets.add(set);
        }
        return sets;
    }
}

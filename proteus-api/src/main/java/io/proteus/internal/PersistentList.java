package io.proteus.internal;

import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An immutable list of fixed size whose {@link #with} returns a changed copy that shares all but
 * one path of a 32-way tree with this one, so that replacing one element of a list of n costs
 * O(log32 n) instead of a whole copy. The core publishes its jobs' task lists this way, so a job's
 * snapshot costs the same whatever the job's size. Null elements are refused.
 *
 * @param <E> the element type
 */
public final class PersistentList<E> extends AbstractList<E> implements RandomAccess {
  private static final int BITS = 5;
  private static final int WIDTH = 1 << BITS;
  private static final int MASK = WIDTH - 1;
  private static final PersistentList<Object> EMPTY = new PersistentList<>(new Object[0], 0, 0);

  private final Object[] root;
  private final int size;
  private final int shift;

  private PersistentList(Object[] root, int size, int shift) {
    this.root = root;
    this.size = size;
    this.shift = shift;
  }

  /** The list of {@code items}, in their order; {@code items} itself if it is one already. */
  @SuppressWarnings("unchecked")
  public static <E> PersistentList<E> copyOf(List<? extends E> items) {
    if (items instanceof PersistentList<? extends E> p) {
      return (PersistentList<E>) p;
    }
    if (items.isEmpty()) {
      return (PersistentList<E>) EMPTY;
    }
    Object[] level = new Object[items.size()];
    int i = 0;
    for (E item : items) {
      level[i++] = Objects.requireNonNull(item, "a persistent list holds no null");
    }
    int shift = 0;
    do {
      level = group(level);
      shift += BITS;
    } while (level.length > 1);
    return new PersistentList<>((Object[]) level[0], items.size(), shift - BITS);
  }

  private static Object[] group(Object[] level) {
    Object[] up = new Object[(level.length + MASK) / WIDTH];
    for (int n = 0; n < up.length; n++) {
      int from = n * WIDTH;
      int len = Math.min(WIDTH, level.length - from);
      Object[] node = new Object[len];
      System.arraycopy(level, from, node, 0, len);
      up[n] = node;
    }
    return up;
  }

  @Override
  @SuppressWarnings("unchecked")
  public E get(int index) {
    Objects.checkIndex(index, size);
    Object[] node = root;
    for (int level = shift; level > 0; level -= BITS) {
      node = (Object[]) node[(index >>> level) & MASK];
    }
    return (E) node[index & MASK];
  }

  @Override
  public int size() {
    return size;
  }

  /** A copy of this list with {@code value} at {@code index}; this list is unchanged. */
  public PersistentList<E> with(int index, E value) {
    Objects.checkIndex(index, size);
    Objects.requireNonNull(value, "a persistent list holds no null");
    return new PersistentList<>(replaced(root, shift, index, value), size, shift);
  }

  private static Object[] replaced(Object[] node, int level, int index, Object value) {
    Object[] copy = node.clone();
    if (level == 0) {
      copy[index & MASK] = value;
    } else {
      int slot = (index >>> level) & MASK;
      copy[slot] = replaced((Object[]) node[slot], level - BITS, index, value);
    }
    return copy;
  }
}

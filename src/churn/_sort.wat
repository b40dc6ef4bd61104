;; Sorting kernel of the boosted trees' bin edges (src/churn/_boostData.ts, binEdges): sorts doubles
;; ascending exactly as Float64Array.prototype.sort does (-0 before +0; finite values). A sorted array
;; of doubles is unique, so this gives the same bits as the TypeScript path (sortDoubles). Pointers
;; are byte offsets into the imported memory, created at its final size by the caller.
;; Build: npx tsx scripts/build-wasm.ts (writes _sort.wasm.ts).
(module
  (import "env" "memory" (memory 1))

  ;; sort(a, m, tmp, count): the m f64 at a, in place. LSD radix sort on their order-preserving u64
  ;; keys (sign bit flipped for positives, every bit flipped for negatives), six digits of 11 bits
  ;; (the last one 9), all counted in one pass; a digit the same for every value is skipped.
  ;; tmp: 8 * m bytes of scratch; count: 6 * 2048 i32 (49,152 bytes).
  (func (export "sort") (param $a i32) (param $m i32) (param $tmp i32) (param $count i32)
    (local $k i32) (local $p i32) (local $end i32) (local $key i64) (local $d i32) (local $base i32)
    (local $b i32) (local $c i32) (local $sum i32) (local $skip i32) (local $src i32) (local $dst i32)
    (local $t i32) (local $slot i32) (local $shift i64)
    (memory.fill (local.get $count) (i32.const 0) (i32.const 49152))
    ;; Keys in place, and the counts of all six digits.
    (local.set $p (local.get $a))
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $m) (i32.const 3))))
    (block $keysDone (loop $keys
      (br_if $keysDone (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $key (i64.load (local.get $p)))
      (local.set $key (i64.xor (local.get $key)
        (i64.or (i64.shr_s (local.get $key) (i64.const 63)) (i64.const 0x8000000000000000))))
      (i64.store (local.get $p) (local.get $key))
      (local.set $d (i32.const 0))
      (local.set $shift (i64.const 0))
      (block $countDone (loop $counts
        (local.set $slot (i32.add (local.get $count)
          (i32.shl (i32.add (i32.shl (local.get $d) (i32.const 11))
            (i32.wrap_i64 (i64.and (i64.shr_u (local.get $key) (local.get $shift)) (i64.const 2047))))
            (i32.const 2))))
        (i32.store (local.get $slot) (i32.add (i32.load (local.get $slot)) (i32.const 1)))
        (local.set $shift (i64.add (local.get $shift) (i64.const 11)))
        (local.set $d (i32.add (local.get $d) (i32.const 1)))
        (br_if $counts (i32.lt_u (local.get $d) (i32.const 6)))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (br $keys)))
    (local.set $src (local.get $a))
    (local.set $dst (local.get $tmp))
    (local.set $d (i32.const 0))
    (local.set $shift (i64.const 0))
    (block $digitsDone (loop $digits
      (br_if $digitsDone (i32.ge_u (local.get $d) (i32.const 6)))
      (local.set $base (i32.add (local.get $count) (i32.shl (local.get $d) (i32.const 13))))
      ;; Skip the digit when one bucket holds every value.
      (local.set $skip (i32.const 0))
      (local.set $b (i32.const 0))
      (block $firstDone (loop $first
        (br_if $firstDone (i32.ge_u (local.get $b) (i32.const 2048)))
        (local.set $c (i32.load (i32.add (local.get $base) (i32.shl (local.get $b) (i32.const 2)))))
        (if (local.get $c) (then
          (local.set $skip (i32.eq (local.get $c) (local.get $m)))
          (br $firstDone)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $first)))
      (if (i32.eqz (local.get $skip)) (then
        ;; Exclusive prefix sums, then every key to its place.
        (local.set $sum (i32.const 0))
        (local.set $b (i32.const 0))
        (block $prefixDone (loop $prefix
          (br_if $prefixDone (i32.ge_u (local.get $b) (i32.const 2048)))
          (local.set $slot (i32.add (local.get $base) (i32.shl (local.get $b) (i32.const 2))))
          (local.set $c (i32.load (local.get $slot)))
          (i32.store (local.get $slot) (local.get $sum))
          (local.set $sum (i32.add (local.get $sum) (local.get $c)))
          (local.set $b (i32.add (local.get $b) (i32.const 1)))
          (br $prefix)))
        (local.set $p (local.get $src))
        (local.set $end (i32.add (local.get $src) (i32.shl (local.get $m) (i32.const 3))))
        (block $moveDone (loop $move
          (br_if $moveDone (i32.ge_u (local.get $p) (local.get $end)))
          (local.set $key (i64.load (local.get $p)))
          (local.set $slot (i32.add (local.get $base)
            (i32.shl (i32.wrap_i64 (i64.and (i64.shr_u (local.get $key) (local.get $shift)) (i64.const 2047)))
              (i32.const 2))))
          (local.set $t (i32.load (local.get $slot)))
          (i32.store (local.get $slot) (i32.add (local.get $t) (i32.const 1)))
          (i64.store (i32.add (local.get $dst) (i32.shl (local.get $t) (i32.const 3))) (local.get $key))
          (local.set $p (i32.add (local.get $p) (i32.const 8)))
          (br $move)))
        (local.set $t (local.get $src))
        (local.set $src (local.get $dst))
        (local.set $dst (local.get $t))))
      (local.set $shift (i64.add (local.get $shift) (i64.const 11)))
      (local.set $d (i32.add (local.get $d) (i32.const 1)))
      (br $digits)))
    ;; Keys back to doubles, into a.
    (local.set $k (i32.const 0))
    (block $backDone (loop $back
      (br_if $backDone (i32.ge_u (local.get $k) (local.get $m)))
      (local.set $key (i64.load (i32.add (local.get $src) (i32.shl (local.get $k) (i32.const 3)))))
      (i64.store (i32.add (local.get $a) (i32.shl (local.get $k) (i32.const 3)))
        (i64.xor (local.get $key)
          (i64.or (i64.xor (i64.shr_s (local.get $key) (i64.const 63)) (i64.const -1))
            (i64.const 0x8000000000000000))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $back)))))

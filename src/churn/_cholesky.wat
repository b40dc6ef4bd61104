;; The Newton step's linear solve of the logistic fit (src/churn/_design.ts, DesignArena.solve) on the
;; kernels' memory (imported, shared with _logistic.wat): in a fresh process the TypeScript Cholesky runs
;; interpreted for the first fits (~0.5-2 ms per 41 x 41 solve), this from the first call as compiled code.
;; Pointers are byte offsets.
(module
  (import "env" "memory" (memory 1))
  ;; chol(a, m, l, b, out): solves a·out = b for the symmetric m x m matrix a (row-major, lower triangle
  ;; read) by Cholesky, exactly as choleskySolve in src/_lib/cholesky.ts (the same operations in the same
  ;; order: L into l, then forward and back substitution). Returns 0, out untouched, when a pivot is not
  ;; a positive finite number (a is not positive definite), else 1.
  (func (export "chol") (param $a i32) (param $m i32) (param $l i32) (param $b i32) (param $out i32)
      (result i32)
    (local $i i32) (local $j i32) (local $k i32) (local $ri i32) (local $rj i32) (local $s f64)
    (local $v i32)
    (local.set $v (i32.add (local.get $l) (i32.shl (i32.mul (local.get $m) (local.get $m)) (i32.const 3))))
    (block $factored
      (loop $rows
        (br_if $factored (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $ri (i32.shl (i32.mul (local.get $i) (local.get $m)) (i32.const 3)))
        (local.set $j (i32.const 0))
        (loop $cols
          (local.set $rj (i32.shl (i32.mul (local.get $j) (local.get $m)) (i32.const 3)))
          (local.set $s (f64.load (i32.add (local.get $a) (i32.add (local.get $ri) (i32.shl (local.get $j) (i32.const 3))))))
          (local.set $k (i32.const 0))
          (block $kDone
            (loop $ks
              (br_if $kDone (i32.ge_u (local.get $k) (i32.shl (local.get $j) (i32.const 3))))
              (local.set $s (f64.sub (local.get $s) (f64.mul
                (f64.load (i32.add (local.get $l) (i32.add (local.get $ri) (local.get $k))))
                (f64.load (i32.add (local.get $l) (i32.add (local.get $rj) (local.get $k)))))))
              (local.set $k (i32.add (local.get $k) (i32.const 8)))
              (br $ks)))
          (if (i32.eq (local.get $i) (local.get $j))
            (then
              (if (i32.or (i32.eqz (f64.gt (local.get $s) (f64.const 0)))
                  (f64.eq (local.get $s) (f64.const inf)))
                (then (return (i32.const 0))))
              (f64.store (i32.add (local.get $l) (i32.add (local.get $ri) (i32.shl (local.get $i) (i32.const 3))))
                (f64.sqrt (local.get $s))))
            (else
              (f64.store (i32.add (local.get $l) (i32.add (local.get $ri) (i32.shl (local.get $j) (i32.const 3))))
                (f64.div (local.get $s)
                  (f64.load (i32.add (local.get $l) (i32.add (local.get $rj) (i32.shl (local.get $j) (i32.const 3)))))))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $cols (i32.le_u (local.get $j) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
    ;; Forward (L·v = b, v after l), then back substitution (Lᵀ·out = v, in place from the end).
    (local.set $i (i32.const 0))
    (block $fwdDone
      (loop $fwd
        (br_if $fwdDone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $ri (i32.shl (i32.mul (local.get $i) (local.get $m)) (i32.const 3)))
        (local.set $s (f64.load (i32.add (local.get $b) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $k (i32.const 0))
        (block $kDone
          (loop $ks
            (br_if $kDone (i32.ge_u (local.get $k) (i32.shl (local.get $i) (i32.const 3))))
            (local.set $s (f64.sub (local.get $s) (f64.mul
              (f64.load (i32.add (local.get $l) (i32.add (local.get $ri) (local.get $k))))
              (f64.load (i32.add (local.get $v) (local.get $k))))))
            (local.set $k (i32.add (local.get $k) (i32.const 8)))
            (br $ks)))
        (f64.store (i32.add (local.get $v) (i32.shl (local.get $i) (i32.const 3)))
          (f64.div (local.get $s)
            (f64.load (i32.add (local.get $l) (i32.add (local.get $ri) (i32.shl (local.get $i) (i32.const 3)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $fwd)))
    (block $backDone
      (loop $back
        (br_if $backDone (i32.eqz (local.get $i)))
        (local.set $i (i32.sub (local.get $i) (i32.const 1)))
        (local.set $s (f64.load (i32.add (local.get $v) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $k (i32.add (local.get $i) (i32.const 1)))
        (block $kDone
          (loop $ks
            (br_if $kDone (i32.ge_u (local.get $k) (local.get $m)))
            (local.set $s (f64.sub (local.get $s) (f64.mul
              (f64.load (i32.add (local.get $l)
                (i32.shl (i32.add (i32.mul (local.get $k) (local.get $m)) (local.get $i)) (i32.const 3))))
              (f64.load (i32.add (local.get $v) (i32.shl (local.get $k) (i32.const 3)))))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $ks)))
        (f64.store (i32.add (local.get $v) (i32.shl (local.get $i) (i32.const 3)))
          (f64.div (local.get $s)
            (f64.load (i32.add (local.get $l)
              (i32.shl (i32.add (i32.mul (local.get $i) (local.get $m)) (local.get $i)) (i32.const 3))))))
        (br $back)))
    (memory.copy (local.get $out) (local.get $v) (i32.shl (local.get $m) (i32.const 3)))
    (i32.const 1))
)

;; The small linear algebra of each Newton step of the logistic fit (src/churn/_design.ts, Design.solve
;; and Design.update): the Cholesky solve and the BFGS update, on the kernels' memory (imported, shared
;; with _logistic.wat). In a fresh process their TypeScript twins run interpreted during the first fit
;; (~0.5-2 ms per 41 x 41 solve or update); these are compiled code from the first call. Each does the
;; TypeScript's operations in the same order (same bits). Pointers are byte offsets.
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

  ;; bfgs(h, s, g, gPrev, m, work): H ← H − (Hs)(Hs)ᵀ/sᵀHs + yyᵀ/yᵀs with y = g − gPrev (h: m x m, work: 2m),
  ;; exactly as bfgsUpdate in _design.ts; h unchanged unless yᵀs and sᵀHs are positive and finite.
  (func (export "bfgs") (param $h i32) (param $s i32) (param $g i32) (param $gp i32) (param $m i32)
      (param $work i32)
    (local $a i32) (local $c i32) (local $ya f64) (local $sy f64) (local $shs f64) (local $t f64)
    (local $sa f64) (local $hsa f64) (local $row i32) (local $ym i32)
    (local.set $ym (i32.add (local.get $work) (i32.shl (local.get $m) (i32.const 3))))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $a) (local.get $m)))
        (local.set $ya (f64.sub (f64.load (i32.add (local.get $g) (i32.shl (local.get $a) (i32.const 3))))
          (f64.load (i32.add (local.get $gp) (i32.shl (local.get $a) (i32.const 3))))))
        (f64.store (i32.add (local.get $ym) (i32.shl (local.get $a) (i32.const 3))) (local.get $ya))
        (local.set $sa (f64.load (i32.add (local.get $s) (i32.shl (local.get $a) (i32.const 3)))))
        (local.set $sy (f64.add (local.get $sy) (f64.mul (local.get $sa) (local.get $ya))))
        (local.set $row (i32.add (local.get $h) (i32.shl (i32.mul (local.get $a) (local.get $m)) (i32.const 3))))
        (local.set $t (f64.const 0))
        (local.set $c (i32.const 0))
        (block $cDone
          (loop $cs
            (br_if $cDone (i32.ge_u (local.get $c) (i32.shl (local.get $m) (i32.const 3))))
            (local.set $t (f64.add (local.get $t) (f64.mul (f64.load (i32.add (local.get $row) (local.get $c)))
              (f64.load (i32.add (local.get $s) (local.get $c))))))
            (local.set $c (i32.add (local.get $c) (i32.const 8)))
            (br $cs)))
        (f64.store (i32.add (local.get $work) (i32.shl (local.get $a) (i32.const 3))) (local.get $t))
        (local.set $shs (f64.add (local.get $shs) (f64.mul (local.get $sa) (local.get $t))))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $rows)))
    ;; !(sy > 0 && sHs > 0 && both finite): x − x is 0 only for finite x.
    (if (i32.eqz (i32.and (i32.and (f64.gt (local.get $sy) (f64.const 0)) (f64.gt (local.get $shs) (f64.const 0)))
        (i32.and (f64.eq (f64.sub (local.get $sy) (local.get $sy)) (f64.const 0))
          (f64.eq (f64.sub (local.get $shs) (local.get $shs)) (f64.const 0)))))
      (then (return)))
    (local.set $a (i32.const 0))
    (block $done2
      (loop $rows2
        (br_if $done2 (i32.ge_u (local.get $a) (local.get $m)))
        (local.set $hsa (f64.div (f64.load (i32.add (local.get $work) (i32.shl (local.get $a) (i32.const 3))))
          (local.get $shs)))
        (local.set $ya (f64.div (f64.load (i32.add (local.get $ym) (i32.shl (local.get $a) (i32.const 3))))
          (local.get $sy)))
        (local.set $row (i32.add (local.get $h) (i32.shl (i32.mul (local.get $a) (local.get $m)) (i32.const 3))))
        (local.set $c (i32.const 0))
        (block $cDone2
          (loop $cs2
            (br_if $cDone2 (i32.ge_u (local.get $c) (i32.shl (local.get $m) (i32.const 3))))
            (f64.store (i32.add (local.get $row) (local.get $c))
              (f64.add (f64.sub (f64.load (i32.add (local.get $row) (local.get $c)))
                (f64.mul (local.get $hsa) (f64.load (i32.add (local.get $work) (local.get $c)))))
                (f64.mul (local.get $ya) (f64.load (i32.add (local.get $ym) (local.get $c))))))
            (local.set $c (i32.add (local.get $c) (i32.const 8)))
            (br $cs2)))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $rows2))))
)

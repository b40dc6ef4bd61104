;; WebAssembly kernels of the boosted trees (src/churn/_growTree.ts): the gradients of a tree's
;; sample, the histogram of a leaf, the histogram subtraction, the best split of a leaf, and the stable
;; partition of a leaf's rows. They
;; compute exactly what the TypeScript path computes, in the same order (every histogram bin adds its
;; rows in ascending k, in double precision; gains with the same operations), so both paths give
;; bit-identical trees. Every pointer is a byte offset into the imported memory, created at its final
;; size and laid out once per fit by createGrowContext. Needs 128-bit SIMD.
;; Build: npx tsx scripts/build-wasm.ts (writes _hist.wasm.ts).
(module
  (import "env" "memory" (memory 1))

  ;; hist(cols, n, p, featOff, rows, len, g, h, og, oh, out, outBytes): zeroes out[0, outBytes), then
  ;; for every feature f and row i = rows[k] (k ascending) adds [g[i], h[i], 1] to the f64 triple
  ;; at out + featOff[f] + 24 * cols[f * n + i].
  ;;   cols: p x n bins (u8, column-major); featOff: p i32 byte offsets; rows: len u32 row indices;
  ;;   g, h: n f32 gradients and Hessians; og, oh: len f32 scratch (g and h in rows order).
  ;; Two features at a time, two rows per step; (g, h) added as one f64x2.
  (func (export "hist") (param $cols i32) (param $n i32) (param $p i32) (param $featOff i32)
      (param $rows i32) (param $len i32) (param $g i32) (param $h i32) (param $og i32) (param $oh i32)
      (param $out i32) (param $outBytes i32)
    (local $k i32) (local $i i32) (local $f i32) (local $a i32) (local $end i32)
    (local $rk i32) (local $ogk i32) (local $ohk i32)
    (local $c0 i32) (local $o0 i32) (local $c1 i32) (local $o1 i32)
    (local $i0 i32) (local $i1 i32) (local $v0 v128) (local $v1 v128)
    (memory.fill (local.get $out) (i32.const 0) (local.get $outBytes))
    ;; og[k] = g[rows[k]], oh[k] = h[rows[k]]
    (block $done (loop $gather
      (br_if $done (i32.ge_u (local.get $k) (local.get $len)))
      (local.set $i (i32.shl
        (i32.load (i32.add (local.get $rows) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 2)))
      (local.set $a (i32.shl (local.get $k) (i32.const 2)))
      (f32.store (i32.add (local.get $og) (local.get $a)) (f32.load (i32.add (local.get $g) (local.get $i))))
      (f32.store (i32.add (local.get $oh) (local.get $a)) (f32.load (i32.add (local.get $h) (local.get $i))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $gather)))
    ;; Features f and f + 1 (columns c0, c1; histograms at o0, o1).
    (block $pairsDone (loop $pairs
      (br_if $pairsDone (i32.gt_u (i32.add (local.get $f) (i32.const 2)) (local.get $p)))
      (local.set $c0 (i32.add (local.get $cols) (i32.mul (local.get $f) (local.get $n))))
      (local.set $c1 (i32.add (local.get $c0) (local.get $n)))
      (local.set $a (i32.add (local.get $featOff) (i32.shl (local.get $f) (i32.const 2))))
      (local.set $o0 (i32.add (local.get $out) (i32.load (local.get $a))))
      (local.set $o1 (i32.add (local.get $out) (i32.load offset=4 (local.get $a))))
      (local.set $ogk (local.get $og))
      (local.set $ohk (local.get $oh))
      (local.set $rk (local.get $rows))
      (local.set $end (i32.add (local.get $rows)
        (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 2))))
      ;; Two rows per step: rows[k] (i0, v0) and rows[k + 1] (i1, v1).
      (block $stepsDone (loop $steps
        (br_if $stepsDone (i32.ge_u (local.get $rk) (local.get $end)))
        (local.set $i0 (i32.load (local.get $rk)))
        (local.set $i1 (i32.load offset=4 (local.get $rk)))
        (local.set $v0 (f64x2.replace_lane 1
          (f64x2.splat (f64.promote_f32 (f32.load (local.get $ogk))))
          (f64.promote_f32 (f32.load (local.get $ohk)))))
        (local.set $v1 (f64x2.replace_lane 1
          (f64x2.splat (f64.promote_f32 (f32.load offset=4 (local.get $ogk))))
          (f64.promote_f32 (f32.load offset=4 (local.get $ohk)))))
        (local.set $a (i32.add (local.get $o0)
          (i32.mul (i32.load8_u (i32.add (local.get $c0) (local.get $i0))) (i32.const 24))))
        (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (local.get $v0)))
        (f64.store offset=16 (local.get $a) (f64.add (f64.load offset=16 (local.get $a)) (f64.const 1)))
        (local.set $a (i32.add (local.get $o1)
          (i32.mul (i32.load8_u (i32.add (local.get $c1) (local.get $i0))) (i32.const 24))))
        (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (local.get $v0)))
        (f64.store offset=16 (local.get $a) (f64.add (f64.load offset=16 (local.get $a)) (f64.const 1)))
        (local.set $a (i32.add (local.get $o0)
          (i32.mul (i32.load8_u (i32.add (local.get $c0) (local.get $i1))) (i32.const 24))))
        (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (local.get $v1)))
        (f64.store offset=16 (local.get $a) (f64.add (f64.load offset=16 (local.get $a)) (f64.const 1)))
        (local.set $a (i32.add (local.get $o1)
          (i32.mul (i32.load8_u (i32.add (local.get $c1) (local.get $i1))) (i32.const 24))))
        (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (local.get $v1)))
        (f64.store offset=16 (local.get $a) (f64.add (f64.load offset=16 (local.get $a)) (f64.const 1)))
        (local.set $rk (i32.add (local.get $rk) (i32.const 8)))
        (local.set $ogk (i32.add (local.get $ogk) (i32.const 8)))
        (local.set $ohk (i32.add (local.get $ohk) (i32.const 8)))
        (br $steps)))
      ;; The last row when len is odd.
      (if (i32.and (local.get $len) (i32.const 1)) (then
        (local.set $i0 (i32.load (local.get $rk)))
        (local.set $v0 (f64x2.replace_lane 1
          (f64x2.splat (f64.promote_f32 (f32.load (local.get $ogk))))
          (f64.promote_f32 (f32.load (local.get $ohk)))))
        (local.set $a (i32.add (local.get $o0)
          (i32.mul (i32.load8_u (i32.add (local.get $c0) (local.get $i0))) (i32.const 24))))
        (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (local.get $v0)))
        (f64.store offset=16 (local.get $a) (f64.add (f64.load offset=16 (local.get $a)) (f64.const 1)))
        (local.set $a (i32.add (local.get $o1)
          (i32.mul (i32.load8_u (i32.add (local.get $c1) (local.get $i0))) (i32.const 24))))
        (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (local.get $v0)))
        (f64.store offset=16 (local.get $a) (f64.add (f64.load offset=16 (local.get $a)) (f64.const 1)))))
      (local.set $f (i32.add (local.get $f) (i32.const 2)))
      (br $pairs)))
    ;; The last feature when p is odd.
    (if (i32.lt_u (local.get $f) (local.get $p)) (then
      (local.set $c0 (i32.add (local.get $cols) (i32.mul (local.get $f) (local.get $n))))
      (local.set $o0 (i32.add (local.get $out)
        (i32.load (i32.add (local.get $featOff) (i32.shl (local.get $f) (i32.const 2))))))
      (local.set $ogk (local.get $og))
      (local.set $ohk (local.get $oh))
      (local.set $rk (local.get $rows))
      (local.set $end (i32.add (local.get $rows) (i32.shl (local.get $len) (i32.const 2))))
      (block $rowsDone (loop $rowsLoop
        (br_if $rowsDone (i32.ge_u (local.get $rk) (local.get $end)))
        (local.set $i0 (i32.load (local.get $rk)))
        (local.set $v0 (f64x2.replace_lane 1
          (f64x2.splat (f64.promote_f32 (f32.load (local.get $ogk))))
          (f64.promote_f32 (f32.load (local.get $ohk)))))
        (local.set $a (i32.add (local.get $o0)
          (i32.mul (i32.load8_u (i32.add (local.get $c0) (local.get $i0))) (i32.const 24))))
        (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (local.get $v0)))
        (f64.store offset=16 (local.get $a) (f64.add (f64.load offset=16 (local.get $a)) (f64.const 1)))
        (local.set $rk (i32.add (local.get $rk) (i32.const 4)))
        (local.set $ogk (i32.add (local.get $ogk) (i32.const 4)))
        (local.set $ohk (i32.add (local.get $ohk) (i32.const 4)))
        (br $rowsLoop))))))

  ;; sub(big, small, count): big[k] -= small[k] for count f64 (two at a time, then the odd one).
  (func (export "sub") (param $big i32) (param $small i32) (param $count i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $big)
      (i32.shl (i32.and (local.get $count) (i32.const -2)) (i32.const 3))))
    (block $done (loop $pairs
      (br_if $done (i32.ge_u (local.get $big) (local.get $end)))
      (v128.store (local.get $big) (f64x2.sub (v128.load (local.get $big)) (v128.load (local.get $small))))
      (local.set $big (i32.add (local.get $big) (i32.const 16)))
      (local.set $small (i32.add (local.get $small) (i32.const 16)))
      (br $pairs)))
    (if (i32.and (local.get $count) (i32.const 1)) (then
      (f64.store (local.get $big) (f64.sub (f64.load (local.get $big)) (f64.load (local.get $small)))))))

  ;; partition(col, rows, tmp, start, end, cut) -> mid: moves the rows i = rows[k], k in [start, end),
  ;; with col[i] <= cut to the front and the others behind them, both sides keeping their order
  ;; (through tmp); returns the index of the first row of the second side. Branch-free: each row is
  ;; written to both sides and only its own side advances.
  (func (export "partition") (param $col i32) (param $rows i32) (param $tmp i32) (param $start i32)
      (param $end i32) (param $cut i32) (result i32)
    (local $k i32) (local $stop i32) (local $a i32) (local $r i32) (local $i i32) (local $right i32)
    (local.set $k (i32.add (local.get $rows) (i32.shl (local.get $start) (i32.const 2))))
    (local.set $stop (i32.add (local.get $rows) (i32.shl (local.get $end) (i32.const 2))))
    (local.set $a (local.get $k))
    (local.set $r (local.get $tmp))
    (block $done (loop $rowsLoop
      (br_if $done (i32.ge_u (local.get $k) (local.get $stop)))
      (local.set $i (i32.load (local.get $k)))
      (local.set $right
        (i32.gt_u (i32.load8_u (i32.add (local.get $col) (local.get $i))) (local.get $cut)))
      (i32.store (local.get $a) (local.get $i))
      (i32.store (local.get $r) (local.get $i))
      (local.set $a
        (i32.add (local.get $a) (i32.shl (i32.xor (local.get $right) (i32.const 1)) (i32.const 2))))
      (local.set $r (i32.add (local.get $r) (i32.shl (local.get $right) (i32.const 2))))
      (local.set $k (i32.add (local.get $k) (i32.const 4)))
      (br $rowsLoop)))
    (memory.copy (local.get $a) (local.get $tmp) (i32.sub (local.get $r) (local.get $tmp)))
    (i32.shr_u (i32.sub (local.get $a) (local.get $rows)) (i32.const 2)))

  ;; best(hist, featOff, nb, p, G, H, lambda, parentScore, total, minLeaf, out): the best split of a
  ;; leaf, exactly as findSplit in _growTree.ts: for each feature f and bin b < nb[f] - 1 (left side:
  ;; bins 0..b), skipping empty bins, gain = gl^2/(hl+lambda) + gr^2/(hr+lambda) - parentScore, kept
  ;; when > best + 1e-12 (best starts at 0). Writes the gain (f64) at out, the feature (i32, -1: none)
  ;; at out + 8 and the bin (i32) at out + 12. nb: p i32 bins per feature.
  (func (export "best") (param $hist i32) (param $featOff i32) (param $nb i32) (param $p i32)
      (param $G f64) (param $H f64) (param $lambda f64) (param $parentScore f64) (param $total f64)
      (param $minLeaf f64) (param $out i32)
    (local $f i32) (local $b i32) (local $bmax i32) (local $o i32)
    (local $gl f64) (local $hl f64) (local $cl f64) (local $cb f64) (local $gr f64) (local $hr f64)
    (local $gain f64) (local $bestGain f64) (local $bestF i32) (local $bestB i32)
    (local.set $bestF (i32.const -1))
    (block $featsDone (loop $feats
      (br_if $featsDone (i32.ge_u (local.get $f) (local.get $p)))
      (local.set $gl (f64.const 0))
      (local.set $hl (f64.const 0))
      (local.set $cl (f64.const 0))
      (local.set $bmax (i32.sub
        (i32.load (i32.add (local.get $nb) (i32.shl (local.get $f) (i32.const 2)))) (i32.const 1)))
      (local.set $o (i32.add (local.get $hist)
        (i32.load (i32.add (local.get $featOff) (i32.shl (local.get $f) (i32.const 2))))))
      (local.set $b (i32.const 0))
      (block $binsDone (loop $bins
        (br_if $binsDone (i32.ge_s (local.get $b) (local.get $bmax)))
        (local.set $cb (f64.load offset=16 (local.get $o)))
        (if (f64.ne (local.get $cb) (f64.const 0)) (then
          (local.set $gl (f64.add (local.get $gl) (f64.load (local.get $o))))
          (local.set $hl (f64.add (local.get $hl) (f64.load offset=8 (local.get $o))))
          (local.set $cl (f64.add (local.get $cl) (local.get $cb)))
          (if (i32.eqz (f64.lt (local.get $cl) (local.get $minLeaf))) (then
            (br_if $binsDone (f64.lt (f64.sub (local.get $total) (local.get $cl)) (local.get $minLeaf)))
            (local.set $gr (f64.sub (local.get $G) (local.get $gl)))
            (local.set $hr (f64.sub (local.get $H) (local.get $hl)))
            (if (i32.eqz (i32.or (f64.lt (local.get $hl) (f64.const 1e-3))
                (f64.lt (local.get $hr) (f64.const 1e-3)))) (then
              (local.set $gain (f64.sub
                (f64.add
                  (f64.div (f64.mul (local.get $gl) (local.get $gl))
                    (f64.add (local.get $hl) (local.get $lambda)))
                  (f64.div (f64.mul (local.get $gr) (local.get $gr))
                    (f64.add (local.get $hr) (local.get $lambda))))
                (local.get $parentScore)))
              (if (f64.gt (local.get $gain) (f64.add (local.get $bestGain) (f64.const 1e-12))) (then
                (local.set $bestGain (local.get $gain))
                (local.set $bestF (local.get $f))
                (local.set $bestB (local.get $b))))))))))
        (local.set $o (i32.add (local.get $o) (i32.const 24)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $bins)))
      (local.set $f (i32.add (local.get $f) (i32.const 1)))
      (br $feats)))
    (f64.store (local.get $out) (local.get $bestGain))
    (i32.store offset=8 (local.get $out) (local.get $bestF))
    (i32.store offset=12 (local.get $out) (local.get $bestB)))

  ;; exp(x) for x <= 0 by fdlibm's method (e_exp.c, as V8's Math.exp), the same operations as expNeg
  ;; in _design.ts (the TypeScript path) and $exp in _logistic.wat.
  (func $exp (param $x f64) (result f64)
    (local $k f64) (local $hi f64) (local $lo f64) (local $t f64) (local $c f64) (local $y f64)
    (local $ki i32)
    (if (f64.lt (local.get $x) (f64.const -0.34657359027997264))
      (then
        (if (f64.lt (local.get $x) (f64.const -745.1332191019411)) (then (return (f64.const 0))))
        (local.set $k (f64.trunc (f64.sub (f64.mul (local.get $x) (f64.const 1.4426950408889634))
          (f64.const 0.5))))
        (local.set $hi (f64.sub (local.get $x) (f64.mul (local.get $k) (f64.const 0.6931471803691238))))
        (local.set $lo (f64.mul (local.get $k) (f64.const 1.9082149292705877e-10)))
        (local.set $x (f64.sub (local.get $hi) (local.get $lo))))
      (else
        (if (f64.gt (local.get $x) (f64.const -3.725290298461914e-9))
          (then (return (f64.add (f64.const 1) (local.get $x)))))))
    (local.set $t (f64.mul (local.get $x) (local.get $x)))
    (local.set $c (f64.sub (local.get $x) (f64.mul (local.get $t)
      (f64.add (f64.const 0.16666666666666602) (f64.mul (local.get $t)
        (f64.add (f64.const -0.0027777777777015593) (f64.mul (local.get $t)
          (f64.add (f64.const 6.613756321437934e-5) (f64.mul (local.get $t)
            (f64.add (f64.const -1.6533902205465252e-6)
              (f64.mul (local.get $t) (f64.const 4.1381367970572385e-8))))))))))))
    (if (f64.eq (local.get $k) (f64.const 0))
      (then
        (return (f64.sub (f64.const 1)
          (f64.sub (f64.div (f64.mul (local.get $x) (local.get $c)) (f64.sub (local.get $c) (f64.const 2)))
            (local.get $x))))))
    (local.set $y (f64.sub (f64.const 1)
      (f64.sub (f64.sub (local.get $lo)
        (f64.div (f64.mul (local.get $x) (local.get $c)) (f64.sub (f64.const 2) (local.get $c))))
        (local.get $hi))))
    (local.set $ki (i32.trunc_f64_s (local.get $k)))
    (if (result f64) (i32.ge_s (local.get $ki) (i32.const -1021))
      (then (f64.mul (local.get $y)
        (f64.reinterpret_i64 (i64.shl (i64.extend_i32_s (i32.add (local.get $ki) (i32.const 1023)))
          (i64.const 52)))))
      (else (f64.mul (f64.mul (local.get $y)
        (f64.reinterpret_i64 (i64.shl (i64.extend_i32_s (i32.add (local.get $ki) (i32.const 2023)))
          (i64.const 52))))
        (f64.const 0x1p-1000)))))

  ;; grad(rows, m, raw, y, g, h): for i = rows[k], k < m, the log-loss gradient and Hessian of raw score
  ;; e = raw[i] (f64) and label y[i] (f64): p = 1 / (1 + z) when e >= 0 else z / (1 + z), z = exp(-|e|);
  ;; g[i] = p - y[i], h[i] = max(p (1 - p), 1e-16), stored as f32 (rounded as a Float32Array does).
  (func (export "grad") (param $rows i32) (param $m i32) (param $raw i32) (param $y i32) (param $g i32)
      (param $h i32)
    (local $end i32) (local $i i32) (local $e f64) (local $z f64) (local $pi f64)
    (local.set $end (i32.add (local.get $rows) (i32.shl (local.get $m) (i32.const 2))))
    (block $done (loop $rowsLoop
      (br_if $done (i32.ge_u (local.get $rows) (local.get $end)))
      (local.set $i (i32.load (local.get $rows)))
      (local.set $e (f64.load (i32.add (local.get $raw) (i32.shl (local.get $i) (i32.const 3)))))
      (local.set $z (call $exp (f64.neg (f64.abs (local.get $e)))))
      (local.set $pi (f64.div
        (select (f64.const 1) (local.get $z) (f64.ge (local.get $e) (f64.const 0)))
        (f64.add (f64.const 1) (local.get $z))))
      (f32.store (i32.add (local.get $g) (i32.shl (local.get $i) (i32.const 2)))
        (f32.demote_f64 (f64.sub (local.get $pi)
          (f64.load (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 3)))))))
      (f32.store (i32.add (local.get $h) (i32.shl (local.get $i) (i32.const 2)))
        (f32.demote_f64 (f64.max (f64.mul (local.get $pi) (f64.sub (f64.const 1) (local.get $pi)))
          (f64.const 1e-16))))
      (local.set $rows (i32.add (local.get $rows) (i32.const 4)))
      (br $rowsLoop))))

  ;; add(rows, start, end, raw, v): raw[rows[k]] += v for k in [start, end) (a leaf's value added to
  ;; its rows' raw scores).
  (func (export "add") (param $rows i32) (param $start i32) (param $end i32) (param $raw i32) (param $v f64)
    (local $k i32) (local $stop i32) (local $a i32)
    (local.set $k (i32.add (local.get $rows) (i32.shl (local.get $start) (i32.const 2))))
    (local.set $stop (i32.add (local.get $rows) (i32.shl (local.get $end) (i32.const 2))))
    (block $done (loop $rowsLoop
      (br_if $done (i32.ge_u (local.get $k) (local.get $stop)))
      (local.set $a (i32.add (local.get $raw) (i32.shl (i32.load (local.get $k)) (i32.const 3))))
      (f64.store (local.get $a) (f64.add (f64.load (local.get $a)) (local.get $v)))
      (local.set $k (i32.add (local.get $k) (i32.const 4)))
      (br $rowsLoop))))
)

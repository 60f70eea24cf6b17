// RUN: %nx-opt --nx-to-stablehlo %s | %filecheck %s
// RUN: %nx-opt --nx-to-stablehlo --mlir-print-debuginfo %s | %filecheck %s --check-prefix=LOC
// nx-to-stablehlo rewrites nx ops into StableHLO (arith where IREE needs it), doing what NumPy does where IREE's
// ops differ, and keeps each op's location.

// The affine maps of @contractions' marked contraction (at the head of the output): a[m, k], b[k, n], out[m, n].
// CHECK: #map = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-NEXT: #map1 = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-NEXT: #map2 = affine_map<(d0, d1, d2) -> (d0, d1)>

// Boolean add is OR (stablehlo.add on i1 is XOR in IREE).
// CHECK-LABEL: func.func @bool_add
// CHECK-NEXT: %[[R:.*]] = stablehlo.or %arg0, %arg1 : tensor<4xi1>
// CHECK-NEXT: return %[[R]]
func.func @bool_add(%p: tensor<4xi1>, %q: tensor<4xi1>) -> tensor<4xi1> {
  %0 = "nx.add"(%p, %q) : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// Unsigned values are signless inside (IREE rejects ui types in most ops), reinterpreted at the function's edge;
// division is arith.divui guarded against zero (NumPy gives 0), comparison arith.cmpi ult.
// CHECK-LABEL: func.func @unsigned
// CHECK-SAME: (%arg0: tensor<3xui32>, %arg1: tensor<3xui32>) -> (tensor<3xui32>, tensor<3xi1>)
// CHECK: %[[A:.*]] = stablehlo.bitcast_convert %arg0 : (tensor<3xui32>) -> tensor<3xi32>
// CHECK: %[[B:.*]] = stablehlo.bitcast_convert %arg1 : (tensor<3xui32>) -> tensor<3xi32>
// CHECK: %[[ZERO:.*]] = arith.cmpi eq, %[[B]]
// CHECK: %[[SAFE:.*]] = stablehlo.select %[[ZERO]], %{{.*}}, %[[B]]
// CHECK: %[[Q:.*]] = arith.divui %[[A]], %[[SAFE]]
// CHECK: %[[Q0:.*]] = stablehlo.select %[[ZERO]], %{{.*}}, %[[Q]]
// CHECK: %[[OUT:.*]] = stablehlo.bitcast_convert %[[Q0]] : (tensor<3xi32>) -> tensor<3xui32>
// CHECK: %[[LESS:.*]] = arith.cmpi ult, %[[A]], %[[B]]
// CHECK: return %[[OUT]], %[[LESS]]
func.func @unsigned(%a: tensor<3xui32>, %b: tensor<3xui32>) -> (tensor<3xui32>, tensor<3xi1>) {
  %0 = "nx.floor_divide"(%a, %b) : (tensor<3xui32>, tensor<3xui32>) -> tensor<3xui32>
  %1 = "nx.less"(%a, %b) : (tensor<3xui32>, tensor<3xui32>) -> tensor<3xi1>
  return %0, %1 : tensor<3xui32>, tensor<3xi1>
}

// f64 stays f64 (libm's sine); f32 sine is computed in f64 arithmetic (IREE's f32 sine reduces large arguments
// badly): x times the window of 2/pi that |x| selects, a polynomial, one rounding. No libm call and no branch.
// CHECK-LABEL: func.func @sines
// CHECK: %[[W:.*]] = stablehlo.convert %arg0 : (tensor<2xf32>) -> tensor<2xf64>
// CHECK: stablehlo.compare GE
// CHECK: math.fma %[[W]]
// CHECK-NOT: stablehlo.if
// CHECK-NOT: stablehlo.sine
// CHECK: %[[S:.*]] = stablehlo.convert %{{.*}} : (tensor<2xf64>) -> tensor<2xf32>
// CHECK-NEXT: %[[D:.*]] = stablehlo.sine %arg1 : tensor<2xf64>
// CHECK-NEXT: return %[[S]], %[[D]]
func.func @sines(%x: tensor<2xf32>, %y: tensor<2xf64>) -> (tensor<2xf32>, tensor<2xf64>) {
  %0 = "nx.sin"(%x) : (tensor<2xf32>) -> tensor<2xf32>
  %1 = "nx.sin"(%y) : (tensor<2xf64>) -> tensor<2xf64>
  return %0, %1 : tensor<2xf32>, tensor<2xf64>
}

// Shape ops are one StableHLO op each.
// CHECK-LABEL: func.func @shapes
// CHECK-NEXT: %[[T:.*]] = stablehlo.transpose %arg0, dims = [1, 0] : (tensor<2x3xf32>) -> tensor<3x2xf32>
// CHECK-NEXT: %[[B:.*]] = stablehlo.broadcast_in_dim %[[T]], dims = [0, 2] : (tensor<3x2xf32>) -> tensor<3x4x2xf32>
// CHECK-NEXT: return %[[B]]
func.func @shapes(%x: tensor<2x3xf32>) -> tensor<3x4x2xf32> {
  %0 = "nx.transpose"(%x) {axes = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %1 = "nx.broadcast"(%0) {shape = array<i64: 3, 4, 2>, axes = array<i64: 0, 2>} : (tensor<3x2xf32>) -> tensor<3x4x2xf32>
  return %1 : tensor<3x4x2xf32>
}

// Calls and private functions keep their nx types at their edges.
// CHECK-LABEL: func.func @caller
// CHECK: %[[A:.*]] = stablehlo.bitcast_convert %arg0 : (tensor<2xui8>) -> tensor<2xi8>
// CHECK: %[[N:.*]] = stablehlo.not %[[A]] : tensor<2xi8>
// CHECK: %[[ARG:.*]] = stablehlo.bitcast_convert %[[N]] : (tensor<2xi8>) -> tensor<2xui8>
// CHECK: %[[C:.*]] = call @callee(%[[ARG]]) : (tensor<2xui8>) -> tensor<2xui8>
// CHECK: return %[[C]]
// CHECK-LABEL: func.func private @callee
// CHECK: stablehlo.add
func.func @caller(%x: tensor<2xui8>) -> tensor<2xui8> {
  %0 = "nx.bitwise_not"(%x) : (tensor<2xui8>) -> tensor<2xui8>
  %1 = call @callee(%0) : (tensor<2xui8>) -> tensor<2xui8>
  return %1 : tensor<2xui8>
}
func.func private @callee(%x: tensor<2xui8>) -> tensor<2xui8> {
  %0 = "nx.add"(%x, %x) : (tensor<2xui8>, tensor<2xui8>) -> tensor<2xui8>
  return %0 : tensor<2xui8>
}

// Every op a lowering emits carries the nx op's location.
// LOC-LABEL: func.func @located
// LOC: stablehlo.sqrt %arg0 : tensor<3xf32> loc(#[[L:loc[0-9]*]])
// LOC: #[[L]] = loc("-":[[# @LINE + 2]]:8)
func.func @located(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "nx.sqrt"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// A contraction of 2^26 flops or more becomes a linalg.generic marked for IREE's data tiling (contraction.py), a
// smaller one stablehlo.dot_general: with data tiling on, IREE packs only the marked ones.
// CHECK-LABEL: func.func @contractions
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<256x512xf32>)
// CHECK: %[[BIG:.*]] = linalg.generic {indexing_maps = [#map, #map1, #map2], iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg0, %arg1 : tensor<256x1024xf32>, tensor<1024x512xf32>) outs(%[[INIT]] : tensor<256x512xf32>) attrs = {{ *}}{iree.opt.data_tiling}
// CHECK: arith.mulf
// CHECK-NEXT: arith.addf
// CHECK: stablehlo.dot_general %[[BIG]], %arg2, contracting_dims = [1] x [0]
func.func @contractions(%a: tensor<256x1024xf32>, %b: tensor<1024x512xf32>, %c: tensor<512x10xf32>) -> tensor<256x10xf32> {
  %0 = "nx.dot"(%a, %b) {batch_axes_a = array<i64>, batch_axes_b = array<i64>, contract_axes_a = array<i64: 1>, contract_axes_b = array<i64: 0>} : (tensor<256x1024xf32>, tensor<1024x512xf32>) -> tensor<256x512xf32>
  %1 = "nx.dot"(%0, %c) {batch_axes_a = array<i64>, batch_axes_b = array<i64>, contract_axes_a = array<i64: 1>, contract_axes_b = array<i64: 0>} : (tensor<256x512xf32>, tensor<512x10xf32>) -> tensor<256x10xf32>
  return %1 : tensor<256x10xf32>
}

// RUN: %nx-opt --nx-fusion-to-linalg %s | %filecheck %s
// nx-fusion-to-linalg: each nx.fusion becomes one linalg.generic of scalar arith/math code.

// One generic over the chain's shape: the broadcast operand is read through an indexing map, the splat constant is
// a scalar, each op is its scalar code.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[STRETCH:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-DAG: #[[ROWS:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @chain
// CHECK-NEXT: %[[E:.*]] = tensor.empty() : tensor<4x8xf32>
// CHECK-NEXT: %[[G:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%arg0, %arg1 : tensor<4x8xf32>, tensor<8xf32>) outs(%[[E]] : tensor<4x8xf32>)
// CHECK-NEXT: ^bb0(%[[X:.*]]: f32, %[[B:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[C:.*]] = arith.constant 2.000000e+00 : f32
// CHECK-NEXT: %[[M:.*]] = arith.mulf %[[X]], %[[C]] : f32
// CHECK-NEXT: %[[A:.*]] = arith.addf %[[M]], %[[B]] : f32
// CHECK-NEXT: %[[T:.*]] = math.sqrt %[[A]] : f32
// CHECK-NEXT: linalg.yield %[[T]] : f32
// CHECK-NEXT: } -> tensor<4x8xf32>
// CHECK-NEXT: return %[[G]]
func.func @chain(%x: tensor<4x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %0 = "nx.fusion"(%x, %b) ({
  ^bb0(%xa: tensor<4x8xf32>, %ba: tensor<8xf32>):
    %c = "nx.constant"() {value = dense<2.0> : tensor<4x8xf32>} : () -> tensor<4x8xf32>
    %bb = "nx.broadcast"(%ba) {axes = array<i64: 1>, shape = array<i64: 4, 8>} : (tensor<8xf32>) -> tensor<4x8xf32>
    %1 = "nx.multiply"(%xa, %c) : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
    %2 = "nx.add"(%1, %bb) : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
    %3 = "nx.sqrt"(%2) : (tensor<4x8xf32>) -> tensor<4x8xf32>
    "nx.yield"(%3) : (tensor<4x8xf32>) -> ()
  }) : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// An axis of size 1 stretched wider reads index 0; a broadcast scalar reads no index.
// CHECK-LABEL: func.func @stretch
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[STRETCH]], #[[SCALAR]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%arg0, %arg1, %arg2 :
// CHECK-NEXT: ^bb0(%[[X:.*]]: f32, %[[M:.*]]: f32, %[[S:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[D:.*]] = arith.subf %[[X]], %[[M]]
// CHECK-NEXT: %[[P:.*]] = arith.mulf %[[D]], %[[S]]
// CHECK-NEXT: linalg.yield %[[P]]
func.func @stretch(%x: tensor<4x8xf32>, %m: tensor<4x1xf32>, %s: tensor<f32>) -> tensor<4x8xf32> {
  %0 = "nx.fusion"(%x, %m, %s) ({
  ^bb0(%xa: tensor<4x8xf32>, %ma: tensor<4x1xf32>, %sa: tensor<f32>):
    %mb = "nx.broadcast"(%ma) {axes = array<i64: 0, 1>, shape = array<i64: 4, 8>} : (tensor<4x1xf32>) -> tensor<4x8xf32>
    %sb = "nx.broadcast"(%sa) {axes = array<i64>, shape = array<i64: 4, 8>} : (tensor<f32>) -> tensor<4x8xf32>
    %1 = "nx.subtract"(%xa, %mb) : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
    %2 = "nx.multiply"(%1, %sb) : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
    "nx.yield"(%2) : (tensor<4x8xf32>) -> ()
  }) : (tensor<4x8xf32>, tensor<4x1xf32>, tensor<f32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// A fusion ending in a reduction: reduction loops over the reduced axes, the identity as the initial value, the
// combiner at the end of the body; kept axes come back by a reshape.
// CHECK-LABEL: func.func @reduction
// CHECK-NEXT: %[[Z:.*]] = stablehlo.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK-NEXT: %[[G:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROWS]]], iterator_types = ["parallel", "reduction"]} ins(%arg0 : tensor<4x8xf32>) outs(%[[Z]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[X:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK-NEXT: %[[E:.*]] = math.sqrt %[[X]] : f32
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[ACC]], %[[E]] : f32
// CHECK-NEXT: linalg.yield %[[S]] : f32
// CHECK-NEXT: } -> tensor<4xf32>
// CHECK-NEXT: %[[R:.*]] = stablehlo.reshape %[[G]] : (tensor<4xf32>) -> tensor<4x1xf32>
// CHECK-NEXT: return %[[R]]
func.func @reduction(%x: tensor<4x8xf32>) -> tensor<4x1xf32> {
  %0 = "nx.fusion"(%x) ({
  ^bb0(%xa: tensor<4x8xf32>):
    %1 = "nx.sqrt"(%xa) : (tensor<4x8xf32>) -> tensor<4x8xf32>
    %2 = "nx.sum"(%1) {axes = array<i64: 1>, keep_axes = true} : (tensor<4x8xf32>) -> tensor<4x1xf32>
    "nx.yield"(%2) : (tensor<4x1xf32>) -> ()
  }) : (tensor<4x8xf32>) -> tensor<4x1xf32>
  return %0 : tensor<4x1xf32>
}

// A reduction along an axis that every input broadcasts reads, besides, an empty tensor of the iteration shape through
// the identity map: linalg takes the reduced loop's extent from it (no other operand indexes by d1). The body ignores it.
// CHECK-LABEL: func.func @reduction_of_broadcasts
// CHECK-NEXT: %[[Z:.*]] = stablehlo.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK-NEXT: %[[E:.*]] = tensor.empty() : tensor<4x8xf32>
// CHECK-NEXT: %[[G:.*]] = linalg.generic {indexing_maps = [#[[STRETCH]], #[[SCALAR]], #[[ID]], #[[ROWS]]], iterator_types = ["parallel", "reduction"]} ins(%arg0, %arg1, %[[E]] : tensor<4x1xf32>, tensor<f32>, tensor<4x8xf32>) outs(%[[Z]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[M:.*]]: f32, %[[S:.*]]: f32, %{{.*}}: f32, %[[ACC:.*]]: f32):
// CHECK-NEXT: %[[P:.*]] = arith.mulf %[[M]], %[[S]] : f32
// CHECK-NEXT: %[[A:.*]] = arith.addf %[[ACC]], %[[P]] : f32
// CHECK-NEXT: linalg.yield %[[A]] : f32
// CHECK-NEXT: } -> tensor<4xf32>
// CHECK-NEXT: return %[[G]]
func.func @reduction_of_broadcasts(%m: tensor<4x1xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  %0 = "nx.fusion"(%m, %s) ({
  ^bb0(%ma: tensor<4x1xf32>, %sa: tensor<f32>):
    %mb = "nx.broadcast"(%ma) {axes = array<i64: 0, 1>, shape = array<i64: 4, 8>} : (tensor<4x1xf32>) -> tensor<4x8xf32>
    %sb = "nx.broadcast"(%sa) {axes = array<i64>, shape = array<i64: 4, 8>} : (tensor<f32>) -> tensor<4x8xf32>
    %1 = "nx.multiply"(%mb, %sb) : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
    %2 = "nx.sum"(%1) {axes = array<i64: 1>, keep_axes = false} : (tensor<4x8xf32>) -> tensor<4xf32>
    "nx.yield"(%2) : (tensor<4xf32>) -> ()
  }) : (tensor<4x1xf32>, tensor<f32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// Several reductions over the same axes make one generic with a result each, in the order they are yielded.
// CHECK-LABEL: func.func @two_reductions
// CHECK-NEXT: %[[LOW:.*]] = stablehlo.constant dense<0xFF800000> : tensor<4xf32>
// CHECK-NEXT: %[[ZERO:.*]] = stablehlo.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK-NEXT: %[[G:.*]]:2 = linalg.generic {indexing_maps = [#[[ID]], #[[ROWS]], #[[ROWS]]], iterator_types = ["parallel", "reduction"]} ins(%arg0 : tensor<4x8xf32>) outs(%[[LOW]], %[[ZERO]] : tensor<4xf32>, tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[X:.*]]: f32, %[[MAX:.*]]: f32, %[[SUM:.*]]: f32):
// CHECK-NEXT: %[[A:.*]] = math.absf %[[X]]
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[SUM]], %[[A]]
// CHECK-NEXT: %[[M:.*]] = arith.maximumf %[[MAX]], %[[A]]
// CHECK-NEXT: linalg.yield %[[M]], %[[S]] : f32, f32
// CHECK: return %[[G]]#0, %[[G]]#1
func.func @two_reductions(%x: tensor<4x8xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0:2 = "nx.fusion"(%x) ({
  ^bb0(%xa: tensor<4x8xf32>):
    %1 = "nx.abs"(%xa) : (tensor<4x8xf32>) -> tensor<4x8xf32>
    %2 = "nx.sum"(%1) {axes = array<i64: 1>, keep_axes = false} : (tensor<4x8xf32>) -> tensor<4xf32>
    %3 = "nx.reduce_max"(%1) {axes = array<i64: 1>, keep_axes = false} : (tensor<4x8xf32>) -> tensor<4xf32>
    "nx.yield"(%3, %2) : (tensor<4xf32>, tensor<4xf32>) -> ()
  }) : (tensor<4x8xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return %0#0, %0#1 : tensor<4xf32>, tensor<4xf32>
}

// f16 sums accumulate in f32 and are rounded once, as the NumPy rule does.
// CHECK-LABEL: func.func @half_sum
// CHECK-NEXT: stablehlo.constant dense<0.000000e+00> : tensor<8xf32>
// CHECK-NEXT: %[[G:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]]], iterator_types = ["reduction", "parallel"]}
// CHECK-NEXT: ^bb0(%[[X:.*]]: f16, %[[ACC:.*]]: f32):
// CHECK-NEXT: %[[A:.*]] = math.absf %[[X]] : f16
// CHECK-NEXT: %[[W:.*]] = arith.extf %[[A]] : f16 to f32
// CHECK-NEXT: arith.addf %[[ACC]], %[[W]] : f32
// CHECK: %[[R:.*]] = stablehlo.convert %[[G]] : (tensor<8xf32>) -> tensor<8xf16>
// CHECK-NEXT: return %[[R]]
func.func @half_sum(%x: tensor<4x8xf16>) -> tensor<8xf16> {
  %0 = "nx.fusion"(%x) ({
  ^bb0(%xa: tensor<4x8xf16>):
    %1 = "nx.abs"(%xa) : (tensor<4x8xf16>) -> tensor<4x8xf16>
    %2 = "nx.sum"(%1) {axes = array<i64: 0>, keep_axes = false} : (tensor<4x8xf16>) -> tensor<8xf16>
    "nx.yield"(%2) : (tensor<8xf16>) -> ()
  }) : (tensor<4x8xf16>) -> tensor<8xf16>
  return %0 : tensor<8xf16>
}

// Unsigned values are signless inside, as in nx-to-stablehlo: bitcasts at the generic's edges, unsigned ops within.
// CHECK-LABEL: func.func @unsigned
// CHECK-NEXT: %[[X:.*]] = stablehlo.bitcast_convert %arg0 : (tensor<4xui32>) -> tensor<4xi32>
// CHECK-NEXT: %[[Y:.*]] = stablehlo.bitcast_convert %arg1 : (tensor<4xui32>) -> tensor<4xi32>
// CHECK-NEXT: tensor.empty() : tensor<4xi32>
// CHECK-NEXT: %[[G:.*]] = linalg.generic {{.*}} ins(%[[X]], %[[Y]] : tensor<4xi32>, tensor<4xi32>)
// CHECK-NEXT: ^bb0(%[[A:.*]]: i32, %[[B:.*]]: i32, %{{.*}}: i32):
// CHECK-NEXT: %[[M:.*]] = arith.maxui %[[A]], %[[B]] : i32
// CHECK-NEXT: linalg.yield %[[M]]
// CHECK: %[[R:.*]] = stablehlo.bitcast_convert %[[G]] : (tensor<4xi32>) -> tensor<4xui32>
// CHECK-NEXT: return %[[R]]
func.func @unsigned(%x: tensor<4xui32>, %y: tensor<4xui32>) -> tensor<4xui32> {
  %0 = "nx.fusion"(%x, %y) ({
  ^bb0(%xa: tensor<4xui32>, %ya: tensor<4xui32>):
    %1 = "nx.max"(%xa, %ya) : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xui32>
    "nx.yield"(%1) : (tensor<4xui32>) -> ()
  }) : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xui32>
  return %0 : tensor<4xui32>
}

// Boolean addition is or (NumPy's), not the i1 add IREE would compute as xor.
// CHECK-LABEL: func.func @bool_add
// CHECK: ^bb0(%[[A:.*]]: i1, %[[B:.*]]: i1, %{{.*}}: i1):
// CHECK-NEXT: %[[O:.*]] = arith.ori %[[A]], %[[B]] : i1
// CHECK-NEXT: linalg.yield %[[O]] : i1
func.func @bool_add(%x: tensor<4xi1>, %y: tensor<4xi1>) -> tensor<4xi1> {
  %0 = "nx.fusion"(%x, %y) ({
  ^bb0(%xa: tensor<4xi1>, %ya: tensor<4xi1>):
    %1 = "nx.add"(%xa, %ya) : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
    "nx.yield"(%1) : (tensor<4xi1>) -> ()
  }) : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// Complex values are built and taken apart with the complex dialect; the arithmetic runs on their parts.
// CHECK-LABEL: func.func @complex
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xf32>, tensor<4xf32>) outs(%{{.*}} : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[RE:.*]]: f32, %[[IM:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[Z:.*]] = complex.create %[[RE]], %[[IM]] : complex<f32>
// CHECK-NEXT: %[[A:.*]] = complex.add %[[Z]], %[[Z]] : complex<f32>
// CHECK-NEXT: %[[R:.*]] = complex.re %[[A]] : complex<f32>
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @complex(%re: tensor<4xf32>, %im: tensor<4xf32>) -> tensor<4xf32> {
  %0 = "nx.fusion"(%re, %im) ({
  ^bb0(%a: tensor<4xf32>, %b: tensor<4xf32>):
    %z = "nx.complex"(%a, %b) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xcomplex<f32>>
    %s = "nx.add"(%z, %z) : (tensor<4xcomplex<f32>>, tensor<4xcomplex<f32>>) -> tensor<4xcomplex<f32>>
    %r = "nx.real"(%s) : (tensor<4xcomplex<f32>>) -> tensor<4xf32>
    "nx.yield"(%r) : (tensor<4xf32>) -> ()
  }) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

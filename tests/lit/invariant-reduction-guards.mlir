// RUN: %nx-opt --iree-invariant-reduction-guards %s | %filecheck %s
// A reduction whose body, once folded, reads none of its inputs (here x * 0 + 1 on integers) gets a zero from behind
// an optimization barrier subtracted from what it yields; a reduction that reads its input is left as it is.

// CHECK-LABEL: func.func @count
// CHECK: %[[Z:.*]] = stablehlo.optimization_barrier
// CHECK: linalg.generic {{.*}} ins(%arg0, %[[Z]] : tensor<3xi32>, tensor<i64>)
// CHECK: ^bb0(%{{.*}}: i32, %[[ZERO:.*]]: i64, %[[OUT:.*]]: i64):
// CHECK: %[[SUM:.*]] = arith.addi %[[OUT]]
// CHECK-NEXT: %[[GUARDED:.*]] = arith.subi %[[SUM]], %[[ZERO]] : i64
// CHECK-NEXT: linalg.yield %[[GUARDED]] : i64
#id = affine_map<(d0) -> (d0)>
#scalar = affine_map<(d0) -> ()>
func.func @count(%x: tensor<3xi32>) -> tensor<i64> {
  %init = stablehlo.constant dense<0> : tensor<i64>
  %0 = linalg.generic {indexing_maps = [#id, #scalar], iterator_types = ["reduction"]} ins(%x : tensor<3xi32>) outs(%init : tensor<i64>) {
  ^bb0(%in: i32, %out: i64):
    %zero = arith.constant 0 : i32
    %one = arith.constant 1 : i32
    %1 = arith.muli %in, %zero : i32
    %2 = arith.addi %1, %one : i32
    %3 = arith.extsi %2 : i32 to i64
    %4 = arith.addi %out, %3 : i64
    linalg.yield %4 : i64
  } -> tensor<i64>
  return %0 : tensor<i64>
}

// CHECK-LABEL: func.func @total
// CHECK-NOT: optimization_barrier
// CHECK: return
func.func @total(%x: tensor<3xf32>) -> tensor<f32> {
  %init = stablehlo.constant dense<0.0> : tensor<f32>
  %0 = linalg.generic {indexing_maps = [#id, #scalar], iterator_types = ["reduction"]} ins(%x : tensor<3xf32>) outs(%init : tensor<f32>) {
  ^bb0(%in: f32, %out: f32):
    %1 = arith.addf %out, %in : f32
    linalg.yield %1 : f32
  } -> tensor<f32>
  return %0 : tensor<f32>
}

// RUN: not %nx-opt --iree-sub-byte-storage %s 2>&1 | %filecheck %s
// An op on sub-byte tensors that has no rule for their byte form is an error at its location, not a failure inside
// iree-compile.

// CHECK: sub-byte-storage-errors.mlir:[[# @LINE + 2]]:8: error: iree-sub-byte-storage: IREE cannot compile stablehlo.count_leading_zeros on i4 tensors
func.func @leading_zeros(%x: tensor<3xi4>) -> tensor<3xi4> {
  %z = stablehlo.count_leading_zeros %x : tensor<3xi4>
  return %z : tensor<3xi4>
}

// RUN: %nx-opt --nx-to-stablehlo %s | %filecheck %s
// RUN: %nx-opt --nx-strip-hooks %s | %filecheck %s --check-prefix=STRIP
// RUN: %nx-opt --nx-fold %s | %filecheck %s --check-prefix=FOLD
// nx.hook gives its operands back; lowered, each operand is exported as a buffer view and passed, with the hook's id
// and its index, to the import numerix_hooks.call (declared once), which runtime/hooks.py implements in Python.
// nx-strip-hooks (nx.export) removes hooks; nx-fold never folds one, even on constants.

// CHECK: func.func private @numerix_hooks.call(i64, i64, !hal.buffer_view)
// CHECK-LABEL: func.func @two_operands
// CHECK: %[[N:.*]] = stablehlo.bitcast_convert %arg1 : (tensor<2xui32>) -> tensor<2xi32>
// CHECK: %[[ID:.*]] = arith.constant 5 : i64
// CHECK: %[[V0:.*]] = hal.tensor.export %arg0 : tensor<3xf32> -> !hal.buffer_view
// CHECK: %[[I0:.*]] = arith.constant 0 : i64
// CHECK: call @numerix_hooks.call(%[[ID]], %[[I0]], %[[V0]]) : (i64, i64, !hal.buffer_view) -> ()
// CHECK: %[[V1:.*]] = hal.tensor.export %[[N]] : tensor<2xi32> -> !hal.buffer_view
// CHECK: %[[I1:.*]] = arith.constant 1 : i64
// CHECK: call @numerix_hooks.call(%[[ID]], %[[I1]], %[[V1]]) : (i64, i64, !hal.buffer_view) -> ()
// CHECK: %[[M:.*]] = stablehlo.multiply %arg0, %arg0
// CHECK: return %[[M]]
// STRIP-LABEL: func.func @two_operands
// STRIP-NOT: nx.hook
// STRIP: %[[M:.*]] = "nx.multiply"(%arg0, %arg0)
func.func @two_operands(%x: tensor<3xf32>, %n: tensor<2xui32>) -> (tensor<3xf32>, tensor<2xui32>) {
  %0:2 = "nx.hook"(%x, %n) {id = 5 : i64} : (tensor<3xf32>, tensor<2xui32>) -> (tensor<3xf32>, tensor<2xui32>)
  %1 = "nx.multiply"(%0#0, %0#0) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %1, %0#1 : tensor<3xf32>, tensor<2xui32>
}

// CHECK-LABEL: func.func @constant
// CHECK: call @numerix_hooks.call
// FOLD-LABEL: func.func @constant
// FOLD: "nx.hook"
func.func @constant() -> tensor<2xf32> {
  %0 = "nx.constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %1 = "nx.hook"(%0) {id = 6 : i64} : (tensor<2xf32>) -> tensor<2xf32>
  return %1 : tensor<2xf32>
}

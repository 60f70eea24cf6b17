"""Scalar forms of the CHLO ops that IREE expands into several ops rather than one math op, written as CHLO's
decompositions are, so fused code computes what the StableHLO path computes: erf and erfc (Cephes' rational
approximations; Eigen's for f32 erf), erf_inv (XLA's polynomials) and next_after (bit steps on the float's pattern).
`b` is a ScalarBuilder; values are scalars of type f32 or f64 (f16 and bf16 come widened by the lowerings)."""
import math

from iree.compiler import ir

# XLA's ErfInv32 / ErfInv64 (Giles, "Approximating the erfinv function"): polynomials in w = -log1p(-x^2), highest
# degree first, each for w below its bound (the last for the rest), evaluated at w - centre or sqrt(w) - centre.
_ERF_INV_F32 = [
    (5.0, 2.5, False, [2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
                       -0.00125372503, -0.00417768164, 0.246640727, 1.50140941]),
    (None, 3.0, True, [-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
                       -0.0076224613, 0.00943887047, 1.00167406, 2.83297682]),
]
_ERF_INV_F64 = [
    (6.25, 3.125, False, [
        -3.6444120640178196996e-21, -1.685059138182016589e-19, 1.2858480715256400167e-18, 1.115787767802518096e-17,
        -1.333171662854620906e-16, 2.0972767875968561637e-17, 6.6376381343583238325e-15, -4.0545662729752068639e-14,
        -8.1519341976054721522e-14, 2.6335093153082322977e-12, -1.2975133253453532498e-11,
        -5.4154120542946279317e-11, 1.051212273321532285e-09, -4.1126339803469836976e-09,
        -2.9070369957882005086e-08, 4.2347877827932403518e-07, -1.3654692000834678645e-06,
        -1.3882523362786468719e-05, 0.0001867342080340571352, -0.00074070253416626697512,
        -0.0060336708714301490533, 0.24015818242558961693, 1.6536545626831027356]),
    (16.0, 3.25, True, [
        2.2137376921775787049e-09, 9.0756561938885390979e-08, -2.7517406297064545428e-07, 1.8239629214389227755e-08,
        1.5027403968909827627e-06, -4.013867526981545969e-06, 2.9234449089955446044e-06, 1.2475304481671778723e-05,
        -4.7318229009055733981e-05, 6.8284851459573175448e-05, 2.4031110387097893999e-05,
        -0.0003550375203628474796, 0.00095328937973738049703, -0.0016882755560235047313,
        0.0024914420961078508066, -0.0037512085075692412107, 0.005370914553590063617, 1.0052589676941592334,
        3.0838856104922207635]),
    (None, 5.0, True, [
        -2.7109920616438573243e-11, -2.5556418169965252055e-10, 1.5076572693500548083e-09,
        -3.7894654401267369937e-09, 7.6157012080783393804e-09, -1.4960026627149240478e-08,
        2.9147953450901080826e-08, -6.7711997758452339498e-08, 2.2900482228026654717e-07,
        -9.9298272942317002539e-07, 4.5260625972231537039e-06, -1.9681778105531670567e-05,
        7.5995277030017761139e-05, -0.00021503011930044477347, -0.00013871931833623122026,
        1.0103004648645343977, 4.8499064014085844221]),
]

# CHLO's erf and erfc (Cephes): for |x| < 1 erf(x) = x T(x^2) / U(x^2) (f64) or x T(x^2) (f32); for |x| >= 1,
# erfc(|x|) = exp(-x^2) P(|x|) / Q(|x|) below 8 and exp(-x^2) R(|x|) / S(|x|) above (f64), or
# exp(-x^2) / |x| * P(1/x^2) below 2 and R(1/x^2) above (f32); 0 where -x^2 < -maxlog, 2 - erfc(-x) for x < 0.
_ERF_T = {64: [9.60497373987051638749E0, 9.00260197203842689217E1, 2.23200534594684319226E3,
               7.00332514112805075473E3, 5.55923013010394962768E4],
          32: [+7.853861353153693E-5, -8.010193625184903E-4, +5.188327685732524E-3, -2.685381193529856E-2,
               +1.128358514861418E-1, -3.761262582423300E-1, +1.128379165726710E+0]}
_ERF_U64 = [1.00000000000000000000E0, 3.35617141647503099647E1, 5.21357949780152679795E2, 4.59432382970980127987E3,
            2.26290000613890934246E4, 4.92673942608635921086E4]
_ERFC_P64 = [2.46196981473530512524E-10, 5.64189564831068821977E-1, 7.46321056442269912687E0,
             4.86371970985681366614E1, 1.96520832956077098242E2, 5.26445194995477358631E2, 9.34528527171957607540E2,
             1.02755188689515710272E3, 5.57535335369399327526E2]
_ERFC_Q64 = [1.00000000000000000000E0, 1.32281951154744992508E1, 8.67072140885989742329E1, 3.54937778887819891062E2,
             9.75708501743205489753E2, 1.82390916687909736289E3, 2.24633760818710981792E3, 1.65666309194161350182E3,
             5.57535340817727675546E2]
_ERFC_R64 = [5.64189583547755073984E-1, 1.27536670759978104416E0, 5.01905042251180477414E0, 6.16021097993053585195E0,
             7.40974269950448939160E0, 2.97886665372100240670E0]
_ERFC_S64 = [1.00000000000000000000E0, 2.26052863220117276590E0, 9.39603524938001434673E0, 1.20489539808096656605E1,
             1.70814450747565897222E1, 9.60896809063285878198E0, 3.36907645100081516050E0]
_ERFC_P32 = [+2.326819970068386E-2, -1.387039388740657E-1, +3.687424674597105E-1, -5.824733027278666E-1,
             +6.210004621745983E-1, -4.944515323274145E-1, +3.404879937665872E-1, -2.741127028184656E-1,
             +5.638259427386472E-1]
_ERFC_R32 = [-1.047766399936249E+1, +1.297719955372516E+1, -7.495518717768503E+0, +2.921019019210786E+0,
             -1.015265279202700E+0, +4.218463358204948E-1, -2.820767439740514E-1, +5.641895067754075E-1]
_MAXLOG = {64: 7.09782712893383996843E2, 32: 88.72283905206835}
# Eigen's f32 erf: x * Alpha(x^2) / Beta(x^2) on x clamped to [-4, 4].
_ERF_ALPHA32 = [-2.72614225801306e-10, 2.77068142495902e-08, -2.10102402082508e-06, -5.69250639462346e-05,
                -7.34990630326855e-04, -2.95459980854025e-03, -1.60960333262415e-02]
_ERF_BETA32 = [-1.45660718464996e-05, -2.13374055278905e-04, -1.68282697438203e-03, -7.37332916720468e-03,
               -1.42647390514189e-02]

_OLT, _OEQ, _UNO = 4, 1, 14  # arith.cmpf predicates


def _polynomial(b, coefficients, t):
    """Horner's rule, highest degree first."""
    p = b.scalar(coefficients[0], t)
    for c in coefficients[1:]:
        p = b.op("arith.addf", [b.scalar(c, t), b.op("arith.mulf", [p, t], t.type)], t.type)
    return p


def _arith(b, name, *operands):
    return b.op(name, list(operands), operands[0].type)


def _erf_small(b, x):
    """erf for |x| < 1."""
    x2 = _arith(b, "arith.mulf", x, x)
    out = _arith(b, "arith.mulf", x, _polynomial(b, _ERF_T[x.type.width], x2))
    if x.type.width == 64:
        out = _arith(b, "arith.divf", out, _polynomial(b, _ERF_U64, x2))
    return out


def _erfc_large(b, x):
    """erfc for |x| >= 1."""
    width = x.type.width
    z = _arith(b, "arith.negf", _arith(b, "arith.mulf", x, x))
    exp_z = _arith(b, "math.exp", z)
    magnitude = _arith(b, "math.absf", x)
    if width == 64:
        below_8 = _arith(b, "arith.divf", _arith(b, "arith.mulf", exp_z, _polynomial(b, _ERFC_P64, magnitude)),
                         _polynomial(b, _ERFC_Q64, magnitude))
        above_8 = _arith(b, "arith.divf", _arith(b, "arith.mulf", exp_z, _polynomial(b, _ERFC_R64, magnitude)),
                         _polynomial(b, _ERFC_S64, magnitude))
        out = b.op("arith.select", [b.cmpf(_OLT, magnitude, b.scalar(8, x)), below_8, above_8], x.type)
    else:
        one = b.scalar(1, x)
        inverse_square = _arith(b, "arith.divf", one, _arith(b, "arith.mulf", x, x))
        scale = _arith(b, "arith.mulf", exp_z, _arith(b, "arith.divf", one, magnitude))
        poly = b.op("arith.select", [b.cmpf(_OLT, magnitude, b.scalar(2, x)), _polynomial(b, _ERFC_P32, inverse_square),
                                     _polynomial(b, _ERFC_R32, inverse_square)], x.type)
        out = _arith(b, "arith.mulf", scale, poly)
    zero = b.scalar(0, x)
    out = b.op("arith.select", [b.cmpf(_OLT, z, b.scalar(-_MAXLOG[width], x)), zero, out], x.type)
    reflected = _arith(b, "arith.subf", b.scalar(2, x), out)
    return b.op("arith.select", [b.cmpf(_OLT, x, zero), reflected, out], x.type)


def _below_one(b, x):
    return b.cmpf(_OLT, _arith(b, "math.absf", x), b.scalar(1, x))


def erf(b, x):
    if x.type.width == 32:
        clamped = _arith(b, "arith.minimumf", _arith(b, "arith.maximumf", x, b.scalar(-4, x)), b.scalar(4, x))
        x2 = _arith(b, "arith.mulf", clamped, clamped)
        return _arith(b, "arith.divf", _arith(b, "arith.mulf", clamped, _polynomial(b, _ERF_ALPHA32, x2)),
                      _polynomial(b, _ERF_BETA32, x2))
    one_minus_erfc = _arith(b, "arith.subf", b.scalar(1, x), _erfc_large(b, x))
    return b.op("arith.select", [_below_one(b, x), _erf_small(b, x), one_minus_erfc], x.type)


def erfc(b, x):
    one_minus_erf = _arith(b, "arith.subf", b.scalar(1, x), _erf_small(b, x))
    return b.op("arith.select", [_below_one(b, x), one_minus_erf, _erfc_large(b, x)], x.type)


def erf_inv(b, x):
    """x * P(w) with the polynomial of w's range; +-1 gives +-inf, |x| > 1 NaN (log1p of a value below -1)."""
    f = x.type
    pieces = _ERF_INV_F64 if f.width == 64 else _ERF_INV_F32
    x2 = b.op("arith.mulf", [x, x], f)
    w = b.op("arith.negf", [b.op("math.log1p", [b.op("arith.negf", [x2], f)], f)], f)
    root = b.op("math.sqrt", [w], f)
    result = None
    for bound, centre, square_root, coefficients in reversed(pieces):
        t = b.op("arith.subf", [root if square_root else w, b.scalar(centre, x)], f)
        value = b.op("arith.mulf", [_polynomial(b, coefficients, t), x], f)
        if result is None:
            result = value
        else:
            below = b.cmpf(_OLT, w, b.scalar(bound, x))
            result = b.op("arith.select", [below, value, result], f)
    unit = b.cmpf(_OEQ, b.op("math.absf", [x], f), b.scalar(1, x))
    return b.op("arith.select", [unit, b.op("arith.mulf", [x, b.scalar(math.inf, x)], f), result], f)


def next_after(b, x, y):
    """The float after x towards y: y where they are equal, NaN where either is NaN, the smallest subnormal with
    y's sign from zero, else the bit pattern stepped by one (away from zero where |x| grows)."""
    f = x.type
    bits = ir.IntegerType.get_signless(f.width)
    x_bits = b.op("arith.bitcast", [x], bits)
    y_bits = b.op("arith.bitcast", [y], bits)
    sign_mask = b.scalar(-(1 << (f.width - 1)), x_bits)
    zero = b.scalar(0, x)
    smallest = b.op("arith.ori", [b.op("arith.andi", [y_bits, sign_mask], bits), b.scalar(1, x_bits)], bits)
    # The pattern is sign and magnitude: +1 grows |x|, which happens where x < y and x > 0 agree.
    shrinks = b.op("arith.xori", [b.cmpf(_OLT, x, y), b.cmpf(_OLT, zero, x)], ir.IntegerType.get_signless(1))
    step = b.op("arith.select", [shrinks, b.scalar(-1, x_bits), b.scalar(1, x_bits)], bits)
    stepped = b.op("arith.addi", [x_bits, step], bits)
    stepped = b.op("arith.select", [b.cmpf(_OEQ, x, zero), smallest, stepped], bits)
    out = b.op("arith.bitcast", [stepped], f)
    out = b.op("arith.select", [b.cmpf(_OEQ, x, y), y, out], f)
    return b.op("arith.select", [b.cmpf(_UNO, x, y), b.op("arith.addf", [x, y], f), out], f)

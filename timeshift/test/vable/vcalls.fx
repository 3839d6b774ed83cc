static const TsRange ts_fx0_r[] = {{0, 1, 0, 8}};
static const TsEffect ts_fx0 = {"peek_a", "timeshift/test/vable/vcalls.c:39", 1, ts_fx0_r};
static const TsRange ts_fx1_r[] = {{0, 2, 8, 16}};
static const TsEffect ts_fx1 = {"poke_b", "timeshift/test/vable/vcalls.c:40", 1, ts_fx1_r};
static const TsRange ts_fx2_r[] = {{0, 1, 0, 24}};
static const TsEffect ts_fx2 = {"sum", "timeshift/test/vable/vcalls.c:43", 1, ts_fx2_r};

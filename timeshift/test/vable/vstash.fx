static const TsRange ts_fx0_r[] = {{0, 1, INT64_MIN, INT64_MAX}, {0, 2, INT64_MIN, INT64_MAX}, {0, 4, INT64_MIN, INT64_MAX}};
static const TsEffect ts_fx0 = {"stash", "timeshift/test/vable/vstash.c:33", 3, ts_fx0_r};
static const TsRange ts_fx1_r[] = {{0, 0, 0, 0}};
static const TsEffect ts_fx1 = {"readsaved", "timeshift/test/vable/vstash.c:35", 0, ts_fx1_r};

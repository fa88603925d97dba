#include "swiftfs/cli/options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>
#include <set>
#include <string>
#include <vector>

#include "cli/option_spec.h"
#include "swiftfs/auth/auth_config.h"

namespace swiftfs::cli {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

const ParseDefaults kDefaults{1000, 100};

Result<CliOptions> Parse(std::vector<std::string> args) {
  return ParseCommandLine(args, kDefaults);
}

CliOptions ParseOk(std::vector<std::string> args) {
  auto r = Parse(args);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : CliOptions{};
}

std::string ParseError(std::vector<std::string> args) {
  auto r = Parse(args);
  EXPECT_FALSE(r.ok());
  if (r.ok()) return "";
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  return r.error().message;
}

TEST(OptionsTest, MountpointOnlyMountsTheAccount) {
  CliOptions o = ParseOk({"/mnt"});
  EXPECT_EQ(o.action, Action::kMount);
  EXPECT_EQ(o.mountpoint, "/mnt");
  EXPECT_EQ(o.fs.container, "");
  EXPECT_EQ(o.fs.prefix, "");
  EXPECT_FALSE(o.foreground);
  EXPECT_EQ(o.fs.uid, 1000u);
  EXPECT_EQ(o.fs.gid, 100u);
  EXPECT_EQ(o.fs.umask, 022u);
  EXPECT_EQ(o.log_level, LogLevel::kInfo);
}

TEST(OptionsTest, ContainerAndPrefix) {
  CliOptions o = ParseOk({"photos/2024/summer", "/mnt"});
  EXPECT_EQ(o.fs.container, "photos");
  EXPECT_EQ(o.fs.prefix, "2024/summer/");
  o = ParseOk({"photos/", "/mnt"});
  EXPECT_EQ(o.fs.container, "photos");
  EXPECT_EQ(o.fs.prefix, "");
  o = ParseOk({"photos/a//", "/mnt"});
  EXPECT_EQ(o.fs.prefix, "a/");
}

TEST(OptionsTest, BadSourcesAreRefused) {
  EXPECT_THAT(ParseError({"/abs", "/mnt"}), HasSubstr("container name is empty"));
  EXPECT_THAT(ParseError({"c/a//b", "/mnt"}), HasSubstr("component"));
  EXPECT_THAT(ParseError({"c/../x", "/mnt"}), HasSubstr("component"));
  EXPECT_THAT(ParseError({"c/./x", "/mnt"}), HasSubstr("component"));
}

TEST(OptionsTest, FstabSourcesMeanTheAccount) {
  for (const char* source : {"swiftfs", "none"}) {
    CliOptions o = ParseOk({source, "/mnt"});
    EXPECT_EQ(o.fs.container, "") << source;
  }
  // The escape hatch for a container really named "none".
  EXPECT_EQ(ParseOk({"none/", "/mnt"}).fs.container, "none");
}

TEST(OptionsTest, MountFuseCallingConvention) {
  // What mount.fuse3 runs: swiftfs SOURCE MOUNTPOINT -o opts, with the options it adds.
  CliOptions o = ParseOk(
      {"photos", "/mnt/photos", "-o", "rw,allow_other,cloud=ovh,uid=5,dev,suid,_netdev,noauto"});
  EXPECT_EQ(o.fs.container, "photos");
  EXPECT_EQ(o.mountpoint, "/mnt/photos");
  EXPECT_EQ(o.fs.uid, 5u);
  EXPECT_EQ(o.auth_options.at("cloud"), "ovh");
  EXPECT_THAT(o.fuse_options, Contains("allow_other"));
  EXPECT_THAT(o.fuse_options, Contains("dev"));
  EXPECT_THAT(o.fuse_options, Contains("suid"));
  EXPECT_THAT(o.fuse_options, Not(Contains("rw")));
  EXPECT_THAT(o.fuse_options, Not(Contains("_netdev")));
  EXPECT_THAT(o.fuse_options, Not(Contains("ro")));
  EXPECT_FALSE(o.fs.read_only);
}

TEST(OptionsTest, HelperOptionsAreIgnored) {
  CliOptions o = ParseOk({"-o",
                          "defaults,auto,noauto,user,nouser,users,_netdev,nofail,owner,"
                          "group,x-systemd.automount,comment=foo",
                          "/mnt"});
  EXPECT_EQ(o.fuse_options.size(), 3u);  // default_permissions, fsname, subtype
}

TEST(OptionsTest, FlagsAnywhere) {
  CliOptions o = ParseOk({"c", "-f", "/mnt", "-s"});
  EXPECT_TRUE(o.foreground);
  EXPECT_TRUE(o.single_threaded);
  EXPECT_EQ(o.mountpoint, "/mnt");
  o = ParseOk({"--foreground", "--single-thread", "c", "/mnt"});
  EXPECT_TRUE(o.foreground);
  EXPECT_TRUE(o.single_threaded);
}

TEST(OptionsTest, DebugImpliesForegroundAndDebugLog) {
  CliOptions o = ParseOk({"-d", "/mnt", "-o", "log_level=error"});
  EXPECT_TRUE(o.debug);
  EXPECT_TRUE(o.foreground);
  EXPECT_EQ(o.log_level, LogLevel::kDebug);
  EXPECT_FALSE(o.fuse_debug);
  EXPECT_TRUE(ParseOk({"-o", "debug", "/mnt"}).fuse_debug);
}

TEST(OptionsTest, DoubleDashEndsOptions) {
  CliOptions o = ParseOk({"--", "-weird", "/mnt"});
  EXPECT_EQ(o.fs.container, "-weird");
}

TEST(OptionsTest, JoinedDashO) {
  CliOptions o = ParseOk({"-ouid=7,gid=8", "/mnt"});
  EXPECT_EQ(o.fs.uid, 7u);
  EXPECT_EQ(o.fs.gid, 8u);
}

TEST(OptionsTest, RepeatedDashOAccumulates) {
  CliOptions o = ParseOk({"-o", "uid=7", "/mnt", "-o", "gid=8", "-o", "uid=9"});
  EXPECT_EQ(o.fs.uid, 9u);
  EXPECT_EQ(o.fs.gid, 8u);
}

TEST(OptionsTest, EveryFilesystemOption) {
  CliOptions o = ParseOk(
      {"-o",
       "uid=1,gid=2,umask=077,attr_timeout=1.5,entry_timeout=2,negative_timeout=0,"
       "dir_cache_timeout=30,max_cached_entries=500,stream_dir_entries=1000,"
       "list_until_empty,no_dlo_check,mtime=server,meta_fetchers=3,"
       "prefetch_memory=64M,prefetch_part=2M,prefetch_window=32M,prefetch_threads=6,"
       "log_level=warning,max_threads=4,clone_fd,connect_timeout=2.5,op_timeout=7,insecure,ro",
       "/mnt"});
  EXPECT_EQ(o.fs.uid, 1u);
  EXPECT_EQ(o.fs.gid, 2u);
  EXPECT_EQ(o.fs.umask, 077u);
  EXPECT_DOUBLE_EQ(o.fs.attr_timeout.count(), 1.5);
  EXPECT_DOUBLE_EQ(o.fs.entry_timeout.count(), 2);
  EXPECT_DOUBLE_EQ(o.fs.negative_timeout.count(), 0);
  EXPECT_DOUBLE_EQ(o.fs.dir_cache_timeout.count(), 30);
  EXPECT_EQ(o.fs.max_cached_entries, 500u);
  EXPECT_EQ(o.fs.stream_directory_entries, 1000u);
  EXPECT_TRUE(o.fs.list_until_empty_page);
  EXPECT_FALSE(o.fs.verify_zero_byte_objects);
  EXPECT_EQ(o.fs.mtime, core::MtimeSource::kServer);
  EXPECT_EQ(o.fs.meta_fetchers, 3u);
  EXPECT_EQ(o.prefetch.memory_budget, 64u << 20);
  EXPECT_EQ(o.prefetch.part_size, 2u << 20);
  EXPECT_EQ(o.prefetch.window_max, 32u << 20);
  EXPECT_EQ(o.prefetch.threads, 6u);
  EXPECT_EQ(o.log_level, LogLevel::kWarning);
  EXPECT_EQ(o.max_threads, 4u);
  EXPECT_TRUE(o.clone_fd);
  EXPECT_EQ(o.connect_timeout.count(), 2500);
  EXPECT_EQ(o.op_timeout.count(), 7000);
  EXPECT_TRUE(o.insecure);
  EXPECT_TRUE(o.fs.read_only);
}

TEST(OptionsTest, StreamDirEntriesDefaultsToFiftyThousandAndZeroMeansNever) {
  EXPECT_EQ(ParseOk({"/mnt"}).fs.stream_directory_entries, 50'000u);
  EXPECT_EQ(ParseOk({"-o", "stream_dir_entries=0", "/mnt"}).fs.stream_directory_entries, 0u);
}

TEST(OptionsTest, MtimeDefaultsToMeta) {
  EXPECT_EQ(ParseOk({"/mnt"}).fs.mtime, core::MtimeSource::kMeta);
  EXPECT_EQ(ParseOk({"-o", "mtime=meta", "/mnt"}).fs.mtime, core::MtimeSource::kMeta);
  EXPECT_EQ(ParseOk({"/mnt"}).fs.meta_fetchers, 16u);
}

TEST(OptionsTest, AuthOptionsGoToTheAuthLayerUnchanged) {
  CliOptions o =
      ParseOk({"-o",
               "auth_url=http://k:5000/v3,username=u,user_id=i,password=p\\,w,password_file=/f,"
               "project_name=p,project_id=pi,tenant_name=t,tenant_id=ti,user_domain_name=D,"
               "user_domain_id=di,project_domain_name=PD,project_domain_id=pdi,region=R,"
               "interface=internal,auth_type=password,auth_version=3,application_credential_id=a,"
               "application_credential_name=an,application_credential_secret_file=/s,"
               "storage_url=http://s,cacert=/ca.pem,cloud=c",
               "/mnt"});
  EXPECT_EQ(o.auth_options.size(), 23u);
  EXPECT_EQ(o.auth_options.at("auth_url"), "http://k:5000/v3");
  EXPECT_EQ(o.auth_options.at("password"), "p,w");  // '\,' keeps a comma in a value
  EXPECT_EQ(o.auth_options.at("cacert"), "/ca.pem");
}

TEST(OptionsTest, FuseOptionsAreForwarded) {
  CliOptions o = ParseOk({"-o",
                          "allow_other,nodev,nosuid,noexec,noatime,auto_unmount,"
                          "fsname=my\\,fs,max_read=131072",
                          "c", "/mnt"});
  EXPECT_THAT(o.fuse_options, Contains("allow_other"));
  EXPECT_THAT(o.fuse_options, Contains("nodev"));
  EXPECT_THAT(o.fuse_options, Contains("auto_unmount"));
  EXPECT_THAT(o.fuse_options, Contains("fsname=my,fs"));
  EXPECT_THAT(o.fuse_options, Contains("max_read=131072"));
  EXPECT_THAT(o.fuse_options, Contains("subtype=swiftfs"));
  EXPECT_THAT(o.fuse_options, Not(Contains("fsname=swiftfs:c")));
}

TEST(OptionsTest, DefaultFuseOptions) {
  CliOptions o = ParseOk({"c/a/b", "/mnt"});
  EXPECT_THAT(o.fuse_options, Contains("default_permissions"));
  EXPECT_THAT(o.fuse_options, Contains("fsname=swiftfs:c/a/b"));
  EXPECT_THAT(o.fuse_options, Contains("subtype=swiftfs"));
}

TEST(OptionsTest, ReadWriteUnlessRo) {
  CliOptions o = ParseOk({"c", "/mnt"});
  EXPECT_FALSE(o.fs.read_only);
  EXPECT_THAT(o.fuse_options, Not(Contains("ro")));
  // -o ro: the core refuses writes and the kernel gets its "ro" flag, once.
  o = ParseOk({"-o", "ro", "c", "/mnt", "-o", "ro"});
  EXPECT_TRUE(o.fs.read_only);
  EXPECT_EQ(std::count(o.fuse_options.begin(), o.fuse_options.end(), "ro"), 1);
  // The last word wins, as with mount(8).
  o = ParseOk({"-o", "ro,rw", "/mnt"});
  EXPECT_FALSE(o.fs.read_only);
  EXPECT_THAT(o.fuse_options, Not(Contains("ro")));
  o = ParseOk({"-o", "rw", "-o", "ro", "/mnt"});
  EXPECT_TRUE(o.fs.read_only);
  EXPECT_THAT(o.fuse_options, Contains("ro"));
  EXPECT_THAT(ParseError({"-o", "ro=1", "/mnt"}), HasSubstr("ro"));
}

TEST(OptionsTest, BadValuesGiveClearErrors) {
  EXPECT_THAT(ParseError({"-o", "uid=abc", "/mnt"}), HasSubstr("uid="));
  EXPECT_THAT(ParseError({"-o", "uid=-1", "/mnt"}), HasSubstr("not a non-negative integer"));
  EXPECT_THAT(ParseError({"-o", "uid", "/mnt"}), HasSubstr("needs a value"));
  EXPECT_THAT(ParseError({"-o", "umask=99", "/mnt"}), HasSubstr("octal"));
  EXPECT_THAT(ParseError({"-o", "umask=", "/mnt"}), HasSubstr("needs a value"));
  EXPECT_THAT(ParseError({"-o", "attr_timeout=-1", "/mnt"}), HasSubstr("seconds"));
  EXPECT_THAT(ParseError({"-o", "attr_timeout=1e3", "/mnt"}), HasSubstr("seconds"));
  EXPECT_THAT(ParseError({"-o", "entry_timeout=x", "/mnt"}), HasSubstr("entry_timeout"));
  EXPECT_THAT(ParseError({"-o", "connect_timeout=0", "/mnt"}), HasSubstr("above 0"));
  EXPECT_THAT(ParseError({"-o", "op_timeout=0", "/mnt"}),
              HasSubstr("op_timeout=: must be above 0"));
  EXPECT_THAT(ParseError({"-o", "max_threads=0", "/mnt"}), HasSubstr("at least 1"));
  EXPECT_THAT(ParseError({"-o", "max_threads=99999", "/mnt"}), HasSubstr("larger"));
  EXPECT_THAT(ParseError({"-o", "max_cached_entries=0", "/mnt"}), HasSubstr("at least 1"));
  EXPECT_THAT(ParseError({"-o", "stream_dir_entries=many", "/mnt"}),
              HasSubstr("stream_dir_entries"));
  EXPECT_THAT(ParseError({"-o", "prefetch_memory=lots", "/mnt"}), HasSubstr("size"));
  EXPECT_THAT(ParseError({"-o", "prefetch_part=big", "/mnt"}), HasSubstr("prefetch_part"));
  EXPECT_THAT(ParseError({"-o", "prefetch_threads=0", "/mnt"}), HasSubstr("at least 1"));
  EXPECT_THAT(ParseError({"-o", "prefetch_threads=1000", "/mnt"}), HasSubstr("prefetch_threads"));
  EXPECT_THAT(ParseError({"-o", "log_level=loud", "/mnt"}), HasSubstr("log level"));
  EXPECT_THAT(ParseError({"-o", "mtime=client", "/mnt"}), HasSubstr("not meta or server"));
  EXPECT_THAT(ParseError({"-o", "meta_fetchers=0", "/mnt"}), HasSubstr("at least 1"));
  EXPECT_THAT(ParseError({"-o", "insecure=yes", "/mnt"}), HasSubstr("takes no value"));
  EXPECT_THAT(ParseError({"-o", "fetch_on_stat", "/mnt"}),
              HasSubstr("fetch_on_stat needs cache_dir"));
  EXPECT_THAT(ParseError({"-o", "allow_other=1", "/mnt"}), HasSubstr("takes no value"));
  EXPECT_THAT(ParseError({"-o", "fsname=", "/mnt"}), HasSubstr("needs a value"));
  EXPECT_THAT(ParseError({"-o", "frobnicate", "/mnt"}), HasSubstr("unknown option 'frobnicate'"));
  EXPECT_THAT(ParseError({"--frobnicate", "/mnt"}), HasSubstr("unknown option '--frobnicate'"));
  EXPECT_THAT(ParseError({"/mnt", "-o"}), HasSubstr("-o needs a value"));
}

TEST(OptionsTest, PositionalCounts) {
  EXPECT_THAT(ParseError({}), HasSubstr("missing MOUNTPOINT"));
  EXPECT_THAT(ParseError({"-f"}), HasSubstr("missing MOUNTPOINT"));
  EXPECT_THAT(ParseError({"a", "b", "c"}), HasSubstr("too many arguments: 'c'"));
}

TEST(OptionsTest, HelpAndVersionNeedNoMountpoint) {
  EXPECT_EQ(ParseOk({"--help"}).action, Action::kHelp);
  EXPECT_EQ(ParseOk({"-h"}).action, Action::kHelp);
  EXPECT_EQ(ParseOk({"--version"}).action, Action::kVersion);
  EXPECT_EQ(ParseOk({"-V"}).action, Action::kVersion);
  // Help wins over everything else on the line.
  EXPECT_EQ(ParseOk({"--check-auth", "a", "b", "c", "--help"}).action, Action::kHelp);
}

TEST(OptionsTest, CheckAuth) {
  CliOptions o = ParseOk({"--check-auth"});
  EXPECT_EQ(o.action, Action::kCheckAuth);
  EXPECT_EQ(o.fs.container, "");
  o = ParseOk({"--check-auth", "-o", "region=R", "photos/x"});
  EXPECT_EQ(o.fs.container, "photos");
  EXPECT_EQ(o.fs.prefix, "x/");
  EXPECT_EQ(o.auth_options.at("region"), "R");
  EXPECT_THAT(ParseError({"--check-auth", "a", "b"}), HasSubstr("at most one"));
}

TEST(OptionsTest, EmptyItemsAreSkipped) {
  CliOptions o = ParseOk({"-o", ",uid=3,,", "/mnt"});
  EXPECT_EQ(o.fs.uid, 3u);
}

TEST(OptionsTest, EveryTableNumberIsBoundedAndStoredExactly) {
  // The largest value each entry accepts lands in its field unchanged (no narrowing), one
  // more is refused naming the limit, and so is one below the smallest.
  for (const OptionSpec& spec : MountOptionTable()) {
    if (spec.kind != OptionKind::kUnsigned) continue;
    const std::string name(spec.name);
    CliOptions o;
    ASSERT_TRUE(ApplyMountOptions(name + "=" + std::to_string(spec.max), o).ok()) << name;
    EXPECT_EQ(spec.target.load(o).number, spec.max) << name;
    if (spec.max < std::numeric_limits<uint64_t>::max()) {
      EXPECT_THAT(ParseError({"-o", name + "=" + std::to_string(spec.max + 1), "/mnt"}),
                  HasSubstr("option " + name + "=: '" + std::to_string(spec.max + 1) +
                            "' is larger than " + std::to_string(spec.max)));
    }
    if (spec.min > 0) {
      EXPECT_EQ(ParseError({"-o", name + "=" + std::to_string(spec.min - 1), "/mnt"}),
                "option " + name + "=: must be at least " + std::to_string(spec.min));
    }
  }
}

TEST(OptionsTest, EveryTableOptionChecksThePresenceOfItsValue) {
  for (const OptionSpec& spec : MountOptionTable()) {
    const std::string name(spec.name);
    if (spec.kind == OptionKind::kFlag) {
      EXPECT_EQ(ParseError({"-o", name + "=1", "/mnt"}), "option " + name + " takes no value");
      CliOptions o;
      ASSERT_TRUE(ApplyMountOptions(name, o).ok()) << name;
      EXPECT_EQ(spec.target.load(o).flag, spec.flag_sets) << name;
      EXPECT_NE(spec.target.load(CliOptions{}).flag, spec.flag_sets) << name << " changes nothing";
    } else {
      EXPECT_EQ(ParseError({"-o", name, "/mnt"}), "option " + name + "= needs a value");
      EXPECT_EQ(ParseError({"-o", name + "=", "/mnt"}), "option " + name + "= needs a value");
    }
  }
}

TEST(OptionsTest, FetchOnStatGoesWithACacheDir) {
  EXPECT_FALSE(ParseOk({"-o", "cache_dir=/var/cache/s", "/mnt"}).disk_cache.fetch_on_stat);
  const CliOptions o = ParseOk({"-o", "cache_dir=/var/cache/s,fetch_on_stat", "/mnt"});
  EXPECT_TRUE(o.disk_cache.fetch_on_stat);
  EXPECT_EQ(o.disk_cache.dir, "/var/cache/s");
}

TEST(OptionsTest, TableNamesAreNotAuthNamesAndAreUnique) {
  std::set<std::string_view> seen;
  for (const OptionSpec& spec : MountOptionTable()) {
    EXPECT_FALSE(auth::IsAuthOption(spec.name)) << spec.name;
    EXPECT_TRUE(seen.insert(spec.name).second) << spec.name << " twice";
    EXPECT_EQ(FindMountOption(spec.name), &spec);
  }
}

TEST(OptionsTest, ApplyMountOptionsParsesOneDashOArgument) {
  // The entry point a fuzzer drives: one -o string, no positionals.
  CliOptions o;
  ASSERT_TRUE(ApplyMountOptions("uid=5,fsname=a\\,b,,region=R", o).ok());
  EXPECT_EQ(o.fs.uid, 5u);
  EXPECT_THAT(o.fuse_options, Contains("fsname=a,b"));
  EXPECT_EQ(o.auth_options.at("region"), "R");
  auto bad = ApplyMountOptions("gid=1,max_threads=0,uid=9", o);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().message, "option max_threads=: must be at least 1");
  EXPECT_EQ(o.fs.uid, 5u);  // items after the bad one are not applied
  EXPECT_TRUE(ApplyMountOptions("", o).ok());
  // A trailing backslash escapes nothing: it stays, and makes an unknown name here.
  EXPECT_THAT(ApplyMountOptions("\\", o).error().message, HasSubstr("unknown option '\\'"));
}

TEST(OptionsTest, WriteOptions) {
  CliOptions o = ParseOk({"-o",
                          "segment_size=1M,parallel_uploads=8,staging_dir=/var/tmp/st,"
                          "staging_size=2G",
                          "c", "/mnt"});
  EXPECT_EQ(o.fs.segment_size, 1u << 20);
  EXPECT_EQ(o.fs.parallel_segment_uploads, 8u);
  EXPECT_EQ(o.fs.staging_dir, "/var/tmp/st");
  EXPECT_EQ(o.fs.staging_size, 2ull << 30);
  // The daemon runs in /: a relative directory would not be where the user meant.
  EXPECT_THAT(ParseError({"-o", "staging_dir=tmp/st", "/mnt"}), HasSubstr("absolute path"));
  EXPECT_THAT(ParseError({"-o", "parallel_uploads=0", "/mnt"}), HasSubstr("at least 1"));
}

TEST(OptionsTest, CollectOrphans) {
  CliOptions o = ParseOk({"--collect-orphans", "photos"});
  EXPECT_EQ(o.action, Action::kCollectOrphans);
  EXPECT_EQ(o.fs.container, "photos");
  EXPECT_FALSE(o.dry_run);
  EXPECT_EQ(o.orphan_min_age, std::chrono::hours(24));
  o = ParseOk({"-o", "orphan_min_age=0", "photos", "--dry-run", "--collect-orphans"});
  EXPECT_EQ(o.action, Action::kCollectOrphans);
  EXPECT_TRUE(o.dry_run);
  EXPECT_EQ(o.orphan_min_age.count(), 0);
  EXPECT_THAT(ParseError({"--collect-orphans"}), HasSubstr("one CONTAINER"));
  EXPECT_THAT(ParseError({"--collect-orphans", "a", "b"}), HasSubstr("one CONTAINER"));
  EXPECT_THAT(ParseError({"--collect-orphans", "a/prefix"}), HasSubstr("one CONTAINER"));
  EXPECT_EQ(ParseOk({"--collect-orphans", "--help"}).action, Action::kHelp);
}

}  // namespace
}  // namespace swiftfs::cli

using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using WasmKube.Shim.Containment;

namespace WasmKube.Shim.Tests.Seccomp;

/// <summary>The profile compiler, checked by running its programs in <see cref="BpfInterpreter"/> for both architectures.</summary>
public sealed class SeccompProgramTests
{
    private const uint Allow = 0x7FFF0000;
    private const uint KillProcess = 0x80000000;
    private const uint KillThread = 0;
    private const uint Trap = 0x00030000;
    private const uint Errno = 0x00050000;
    private const uint Trace = 0x7FF00000;
    private const uint Log = 0x7FFC0000;
    private const int EPERM = 1;
    private const int ENOSYS = 38;

    public static TheoryData<Architecture> Architectures => [Architecture.X64, Architecture.Arm64];

    private static JsonNode Json(string text) => JsonNode.Parse(text)!;

    private static uint NativeArch(Architecture architecture) =>
        architecture == Architecture.X64 ? BpfInterpreter.AuditArchX86_64 : BpfInterpreter.AuditArchAarch64;

    private static int Nr(Architecture architecture, string name) => SyscallTable.For(architecture)[name];

    private static uint Run(SeccompProgram program, Architecture architecture, string syscall, params ulong[] args) =>
        BpfInterpreter.Run(program.Instructions, NativeArch(architecture), Nr(architecture, syscall), args);

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Other_abis_are_killed_before_any_rule(Architecture architecture)
    {
        var program = SeccompProgram.Compile(Json("""{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X86","SCMP_ARCH_X32","SCMP_ARCH_AARCH64","SCMP_ARCH_ARM"]}"""), architecture);

        Assert.Equal(new SockFilter(0x20, 0, 0, 4), program.Instructions[0]);
        Assert.Equal(Allow, Run(program, architecture, "getpid"));
        var compat = architecture == Architecture.X64 ? BpfInterpreter.AuditArchI386 : BpfInterpreter.AuditArchArm;
        Assert.Equal(KillProcess, BpfInterpreter.Run(program.Instructions, compat, 20));
        var other = architecture == Architecture.X64 ? BpfInterpreter.AuditArchAarch64 : BpfInterpreter.AuditArchX86_64;
        Assert.Equal(KillProcess, BpfInterpreter.Run(program.Instructions, other, Nr(architecture, "getpid")));
    }

    [Fact]
    public void X32_syscall_numbers_are_killed_on_x86_64()
    {
        var program = SeccompProgram.Compile(Json("""{"defaultAction":"SCMP_ACT_ALLOW"}"""), Architecture.X64);

        Assert.Equal(KillProcess, BpfInterpreter.Run(program.Instructions, BpfInterpreter.AuditArchX86_64, 0x40000000 | Nr(Architecture.X64, "getpid")));
        Assert.Equal(Allow, Run(program, Architecture.X64, "getpid"));
    }

    [Theory]
    [InlineData("SCMP_ACT_ALLOW", null, Allow)]
    [InlineData("SCMP_ACT_ERRNO", null, Errno | EPERM)]
    [InlineData("SCMP_ACT_ERRNO", 13, Errno | 13)]
    [InlineData("SCMP_ACT_ERRNO", 0, Errno)]
    [InlineData("SCMP_ACT_KILL", null, KillThread)]
    [InlineData("SCMP_ACT_KILL_THREAD", null, KillThread)]
    [InlineData("SCMP_ACT_KILL_PROCESS", null, KillProcess)]
    [InlineData("SCMP_ACT_TRAP", null, Trap)]
    [InlineData("SCMP_ACT_TRACE", null, Trace | EPERM)]
    [InlineData("SCMP_ACT_TRACE", 1234, Trace | 1234)]
    [InlineData("SCMP_ACT_LOG", null, Log)]
    public void Actions_become_the_kernels_return_values(string action, int? errnoRet, uint expected)
    {
        var errno = errnoRet is null ? "" : $""","errnoRet":{errnoRet}""";
        var rule = SeccompProgram.Compile(Json($$"""
            {"defaultAction":"SCMP_ACT_KILL_PROCESS","syscalls":[{"names":["getppid"],"action":"{{action}}"{{errno}}}]}
            """), Architecture.X64);
        var defaultErrno = errnoRet is null ? "" : $""","defaultErrnoRet":{errnoRet}""";
        var fallback = SeccompProgram.Compile(Json($$"""{"defaultAction":"{{action}}"{{defaultErrno}}}"""), Architecture.X64);

        Assert.Equal(expected, Run(rule, Architecture.X64, "getppid"));
        Assert.Equal(expected, Run(fallback, Architecture.X64, "getppid"));
    }

    public static TheoryData<string, ulong, ulong> Comparisons()
    {
        var data = new TheoryData<string, ulong, ulong>();
        foreach (var op in new[] { "SCMP_CMP_EQ", "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_GT", "SCMP_CMP_GE", "SCMP_CMP_MASKED_EQ" })
        {
            data.Add(op, 0x1_0000_0005, 0x1_0000_0004);
            data.Add(op, 0xFFFF_0000_0000_FF00, 0x1234_0000_0000_5600);
            data.Add(op, 0, 0);
        }

        return data;
    }

    /// <summary>Argument values around <paramref name="value"/>'s halves, where a wrong 32-bit split would show.</summary>
    public static ulong[] Probes(ulong value) =>
    [
        0, 1, value, value - 1, value + 1, value & 0xFFFF_FFFF, value & 0xFFFF_FFFF_0000_0000, (value & 0xFFFF_FFFF_0000_0000) + 0xFFFF_FFFF,
        value + 0x1_0000_0000, value - 0x1_0000_0000, 0xFFFF_FFFF, 0x1_0000_0000, ulong.MaxValue, 0x1234_0000_0000_5600, 0x1234_5678_0000_56FF,
    ];

    /// <summary>What libseccomp means by each comparison: unsigned 64-bit, MASKED_EQ as (arg &amp; value) == valueTwo.</summary>
    public static bool Holds(string op, ulong arg, ulong value, ulong valueTwo) => op switch
    {
        "SCMP_CMP_EQ" => arg == value,
        "SCMP_CMP_NE" => arg != value,
        "SCMP_CMP_LT" => arg < value,
        "SCMP_CMP_LE" => arg <= value,
        "SCMP_CMP_GT" => arg > value,
        "SCMP_CMP_GE" => arg >= value,
        "SCMP_CMP_MASKED_EQ" => (arg & value) == valueTwo,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    public static JsonNode ArgumentProfile(string op, ulong value, ulong valueTwo, int index) => Json($$"""
        {"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":99,"syscalls":[
          {"names":["write","exit_group"],"action":"SCMP_ACT_ALLOW"},
          {"names":["getppid"],"action":"SCMP_ACT_ALLOW","args":[{"index":{{index}},"value":{{value}},"valueTwo":{{valueTwo}},"op":"{{op}}"}]}]}
        """);

    [Theory]
    [MemberData(nameof(Comparisons))]
    public void Comparisons_are_unsigned_64_bit_on_both_halves(string op, ulong value, ulong valueTwo)
    {
        foreach (var architecture in new[] { Architecture.X64, Architecture.Arm64 })
        {
            var program = SeccompProgram.Compile(ArgumentProfile(op, value, valueTwo, 3), architecture);
            foreach (var arg in Probes(value))
            {
                var expected = Holds(op, arg, value, valueTwo) ? Allow : Errno | 99;
                Assert.True(expected == Run(program, architecture, "getppid", 7, 7, 7, arg, 7, 7),
                    $"{architecture} {op} value 0x{value:x} valueTwo 0x{valueTwo:x}: argument 0x{arg:x} gave 0x{Run(program, architecture, "getppid", 7, 7, 7, arg, 7, 7):x}, expected 0x{expected:x}");
            }
        }
    }

    [Fact]
    public void Conditions_of_a_rule_all_hold_and_rules_of_a_syscall_are_alternatives()
    {
        var program = SeccompProgram.Compile(Json("""
            {"defaultAction":"SCMP_ACT_ERRNO","syscalls":[
              {"names":["getppid"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":1,"op":"SCMP_CMP_EQ"},{"index":1,"value":2,"op":"SCMP_CMP_EQ"}]},
              {"names":["getppid"],"action":"SCMP_ACT_ALLOW","args":[{"index":2,"value":3,"op":"SCMP_CMP_EQ"}]}]}
            """), Architecture.X64);

        Assert.Equal(Allow, Run(program, Architecture.X64, "getppid", 1, 2, 0));
        Assert.Equal(Allow, Run(program, Architecture.X64, "getppid", 0, 0, 3));
        Assert.Equal(Errno | EPERM, Run(program, Architecture.X64, "getppid", 1, 0, 0));
        Assert.Equal(Errno | EPERM, Run(program, Architecture.X64, "getppid", 0, 2, 0));
    }

    [Fact]
    public void Two_conditions_on_one_argument_are_alternatives_as_runc_adds_them()
    {
        var program = SeccompProgram.Compile(Json("""
            {"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["getppid"],"action":"SCMP_ACT_ALLOW","args":[
              {"index":0,"value":1,"op":"SCMP_CMP_EQ"},{"index":0,"value":5,"op":"SCMP_CMP_EQ"}]}]}
            """), Architecture.X64);

        Assert.Equal(Allow, Run(program, Architecture.X64, "getppid", 1));
        Assert.Equal(Allow, Run(program, Architecture.X64, "getppid", 5));
        Assert.Equal(Errno | EPERM, Run(program, Architecture.X64, "getppid", 3));
    }

    [Fact]
    public void The_first_matching_rule_decides_and_rules_with_the_default_action_are_left_out()
    {
        var program = SeccompProgram.Compile(Json("""
            {"defaultAction":"SCMP_ACT_ERRNO","syscalls":[
              {"names":["getppid"],"action":"SCMP_ACT_ERRNO"},
              {"names":["getppid"],"action":"SCMP_ACT_ERRNO","errnoRet":13,"args":[{"index":0,"value":1,"op":"SCMP_CMP_EQ"}]},
              {"names":["getppid"],"action":"SCMP_ACT_LOG"}]}
            """), Architecture.X64);

        Assert.Equal(Errno | 13, Run(program, Architecture.X64, "getppid", 1));
        Assert.Equal(Log, Run(program, Architecture.X64, "getppid", 2));
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Names_the_architecture_lacks_are_skipped_and_reported(Architecture architecture)
    {
        var program = SeccompProgram.Compile(Json("""
            {"defaultAction":"SCMP_ACT_ERRNO","syscalls":[
              {"names":["no_such_syscall","mkdir","getppid","arch_prctl","no_such_syscall"],"action":"SCMP_ACT_ALLOW"},
              {"names":["socketcall"],"action":"SCMP_ACT_LOG"}]}
            """), architecture);

        // aarch64 has neither mkdir nor arch_prctl; i386's socketcall exists on neither.
        string[] expected = architecture == Architecture.X64
            ? ["no_such_syscall", "socketcall"]
            : ["no_such_syscall", "mkdir", "arch_prctl", "socketcall"];
        Assert.Equal(expected, program.UnknownSyscalls);
        Assert.Equal(Allow, Run(program, architecture, "getppid"));
        Assert.Equal(Errno | EPERM, Run(program, architecture, "getpid"));
    }

    [Fact]
    public void Syscalls_newer_than_the_profile_fail_with_ENOSYS_unless_the_default_lets_them_through()
    {
        const string Rules = """[{"names":["getppid"],"action":"SCMP_ACT_ALLOW"},{"names":["getpid"],"action":"SCMP_ACT_TRAP"}]""";
        var errno = SeccompProgram.Compile(Json($$"""{"defaultAction":"SCMP_ACT_ERRNO","syscalls":{{Rules}}}"""), Architecture.X64);
        var kill = SeccompProgram.Compile(Json($$"""{"defaultAction":"SCMP_ACT_KILL_PROCESS","syscalls":{{Rules}}}"""), Architecture.X64);
        var log = SeccompProgram.Compile(Json("""{"defaultAction":"SCMP_ACT_LOG","syscalls":[{"names":["getppid"],"action":"SCMP_ACT_ERRNO"}]}"""), Architecture.X64);
        var last = Math.Max(Nr(Architecture.X64, "getppid"), Nr(Architecture.X64, "getpid"));

        Assert.Equal(Errno | ENOSYS, BpfInterpreter.Run(errno.Instructions, BpfInterpreter.AuditArchX86_64, last + 1));
        Assert.Equal(Errno | EPERM, BpfInterpreter.Run(errno.Instructions, BpfInterpreter.AuditArchX86_64, last - 1));
        Assert.Equal(Errno | ENOSYS, BpfInterpreter.Run(kill.Instructions, BpfInterpreter.AuditArchX86_64, last + 1));
        Assert.Equal(KillProcess, BpfInterpreter.Run(kill.Instructions, BpfInterpreter.AuditArchX86_64, 0));
        Assert.Equal(Log, BpfInterpreter.Run(log.Instructions, BpfInterpreter.AuditArchX86_64, 300));
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Every_syscall_of_the_architecture_in_one_profile_keeps_its_jumps_in_range(Architecture architecture)
    {
        var table = SyscallTable.For(architecture);
        var names = string.Join(",", table.Keys.Where(n => n != "getppid").Select(n => $"\"{n}\""));
        var program = SeccompProgram.Compile(Json($$"""
            {"defaultAction":"SCMP_ACT_KILL_PROCESS","syscalls":[{"names":[{{names}}],"action":"SCMP_ACT_ALLOW"},
              {"names":["getppid"],"action":"SCMP_ACT_ERRNO","errnoRet":5}]}
            """), architecture);

        Assert.InRange(program.Instructions.Length, table.Count, SeccompProgram.MaxInstructions);
        foreach (var (name, number) in table)
        {
            Assert.Equal(name == "getppid" ? Errno | 5 : Allow, BpfInterpreter.Run(program.Instructions, NativeArch(architecture), number));
        }
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Containerds_default_profile_compiles_to_what_it_means(Architecture architecture)
    {
        var program = SeccompProgram.Compile(ContainerdProfile.Load(), architecture);
        const ulong CloneNewUser = 0x10000000;
        const ulong Sigchld = 17;

        Assert.Equal(Allow, Run(program, architecture, "write"));
        Assert.Equal(Allow, Run(program, architecture, "personality", 0xFFFFFFFF));
        Assert.Equal(Errno | EPERM, Run(program, architecture, "personality", 0x0400000));
        Assert.Equal(Allow, Run(program, architecture, "clone", Sigchld));
        Assert.Equal(Errno | EPERM, Run(program, architecture, "clone", CloneNewUser | Sigchld));
        Assert.Equal(Errno | ENOSYS, Run(program, architecture, "clone3"));
        Assert.Equal(Errno | EPERM, Run(program, architecture, "unshare", 0));
        Assert.Equal(Errno | EPERM, Run(program, architecture, "mount"));
        Assert.Contains("socketcall", program.UnknownSyscalls);
    }

    public static TheoryData<string, string[]> BadProfiles => new()
    {
        { """[]""", ["linux.seccomp", "must be an object"] },
        { """{"syscalls":[]}""", ["linux.seccomp.defaultAction", "is required", "SCMP_ACT_ALLOW"] },
        { """{"defaultAction":"SCMP_ACT_DENY"}""", ["linux.seccomp.defaultAction", "\"SCMP_ACT_DENY\"", "SCMP_ACT_KILL_PROCESS"] },
        { """{"defaultAction":"SCMP_ACT_ALLOW","defaultErrnoRet":5}""", ["linux.seccomp.defaultErrnoRet", "SCMP_ACT_ERRNO and SCMP_ACT_TRACE only"] },
        { """{"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":5000}""", ["linux.seccomp.defaultErrnoRet", "5000", "0 to 4095"] },
        { """{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_VAX"]}""", ["linux.seccomp.architectures[0]", "\"SCMP_ARCH_VAX\"", "SCMP_ARCH_X86_64"] },
        { """{"defaultAction":"SCMP_ACT_ALLOW","flags":["SECCOMP_FILTER_FLAG_NEW_LISTENER"]}""", ["linux.seccomp.flags[0]", "SECCOMP_FILTER_FLAG_NEW_LISTENER", "SECCOMP_FILTER_FLAG_TSYNC"] },
        { """{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_NOTIFY"}]}""", ["linux.seccomp.syscalls[0].action", "SCMP_ACT_NOTIFY", "does not run"] },
        { """{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ERRNO","errnoRet":-1}]}""", ["linux.seccomp.syscalls[0].errnoRet", "unsigned integer", "-1"] },
        { """{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"action":"SCMP_ACT_ERRNO"}]}""", ["linux.seccomp.syscalls[0].names", "is required"] },
        { """{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":"read","action":"SCMP_ACT_ERRNO"}]}""", ["linux.seccomp.syscalls[0].names", "must be a list"] },
        { """{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"]}]}""", ["linux.seccomp.syscalls[0].action", "is required"] },
        { """{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ERRNO","args":[{"index":6,"value":1,"op":"SCMP_CMP_EQ"}]}]}""", ["linux.seccomp.syscalls[0].args[0].index", "6", "0 to 5"] },
        { """{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":1,"op":"SCMP_CMP_BETWEEN"}]}]}""", ["linux.seccomp.syscalls[0].args[0].op", "\"SCMP_CMP_BETWEEN\"", "SCMP_CMP_MASKED_EQ"] },
        { """{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"op":"SCMP_CMP_EQ"}]}]}""", ["linux.seccomp.syscalls[0].args[0].value", "is required"] },
        { """{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":18446744073709551616,"op":"SCMP_CMP_EQ"}]}]}""", ["linux.seccomp.syscalls[0].args[0].value", "below 2^64"] },
    };

    [Theory]
    [MemberData(nameof(BadProfiles))]
    public void A_bad_profile_is_refused_naming_the_field_the_value_and_what_is_accepted(string profile, string[] fragments)
    {
        var error = Assert.Throws<InvalidDataException>(() => SeccompProgram.Compile(Json(profile), Architecture.X64));

        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, error.Message);
        }
    }

    [Fact]
    public void Only_x86_64_and_aarch64_are_built_for()
    {
        var error = Assert.Throws<PlatformNotSupportedException>(() => SeccompProgram.Compile(Json("""{"defaultAction":"SCMP_ACT_ALLOW"}"""), Architecture.Arm));

        Assert.Contains("x86_64 and aarch64", error.Message);
    }

    [Fact]
    public void Flags_map_to_the_kernels_bits()
    {
        var program = SeccompProgram.Compile(Json("""
            {"defaultAction":"SCMP_ACT_ALLOW","flags":["SECCOMP_FILTER_FLAG_TSYNC","SECCOMP_FILTER_FLAG_LOG","SECCOMP_FILTER_FLAG_SPEC_ALLOW"]}
            """), Architecture.X64);
        var none = SeccompProgram.Compile(Json("""{"defaultAction":"SCMP_ACT_ALLOW","flags":[]}"""), Architecture.X64);

        // SECCOMP_FILTER_FLAG_TSYNC (1), _LOG (2), _SPEC_ALLOW (4) of linux/seccomp.h.
        Assert.Equal(7u, (uint)program.Flags);
        Assert.Equal(SeccompFilterFlags.None, none.Flags);
    }

    [Fact]
    public void The_bytes_are_the_kernels_sock_filter_array()
    {
        var program = SeccompProgram.Compile(Json("""{"defaultAction":"SCMP_ACT_ALLOW"}"""), Architecture.X64);
        var bytes = program.ToBytes();

        Assert.Equal(8 * program.Instructions.Length, bytes.Length);
        // The last instruction, ret SECCOMP_RET_ALLOW: code 0x0006, jt 0, jf 0, k 0x7fff0000, little endian.
        Assert.Equal(new byte[] { 0x06, 0x00, 0, 0, 0x00, 0x00, 0xFF, 0x7F }, bytes[^8..]);
    }

    [Fact]
    public void Install_refuses_an_empty_program()
    {
        var error = Assert.Throws<ArgumentException>(() => SeccompProgram.Install([], SeccompFilterFlags.None));

        Assert.Contains("1 to 4096 instructions", error.Message);
    }
}

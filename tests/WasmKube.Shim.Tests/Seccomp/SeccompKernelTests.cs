using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using WasmKube.Shim.Containment;
using static WasmKube.Shim.Tests.Seccomp.SeccompLoader;

namespace WasmKube.Shim.Tests.Seccomp;

/// <summary>Compiled programs installed in the kernel: a loader process runs syscalls under them and reports what happened.</summary>
public sealed partial class SeccompKernelTests(SeccompLoader loader) : IClassFixture<SeccompLoader>
{
    private const int EPERM = 1;
    private const int EACCES = 13;
    private const int ENOSYS = 38;
    private const int CloneFiles = 0x400;
    private const int CloneNewUts = 0x04000000;
    private const int CloneNewUser = 0x10000000;

    /// <summary>What the loader itself needs once the filter is in: printing its results and exiting.</summary>
    private const string LoaderNeeds = """{"names":["write","exit_group"],"action":"SCMP_ACT_ALLOW"}""";

    private static SeccompProgram Compile(string profile) => SeccompProgram.Compile(JsonNode.Parse(profile)!);

    [Fact]
    public async Task Errno_default_lets_the_allow_list_through_and_fails_the_rest_with_its_errno()
    {
        var directory = Directory.CreateTempSubdirectory("wks-seccomp-").FullName;
        try
        {
            var program = Compile($$"""
                {"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":{{EACCES}},"syscalls":[{{LoaderNeeds}},
                  {"names":["getppid"],"action":"SCMP_ACT_ERRNO","errnoRet":77},
                  {"names":["uname","getrandom"],"action":"SCMP_ACT_LOG"},
                  {"names":["getuid"],"action":"SCMP_ACT_ALLOW"}]}
                """);
            var getpid = $"nr:{Nr("getpid")}";
            var getppid = $"nr:{Nr("getppid")}";
            var getuid = $"nr:{Nr("getuid")}";
            var mkdir = $"mkdir:{directory}/made";
            // A syscall numbered above every one the profile names: the ENOSYS runc gives those.
            var newer = $"nr:{Nr("getrandom") + 1}";
            string[] operations = [getpid, getppid, getuid, mkdir, newer];

            var unfiltered = await loader.RunAsync(null, operations);
            Directory.Delete(Path.Combine(directory, "made"));
            var filtered = await loader.RunAsync(program, operations);

            Assert.True(unfiltered.ExitCode == 0, unfiltered.ToString());
            Assert.All(operations.SkipLast(1), operation => Assert.Equal(0, unfiltered.Errno(operation)));
            Assert.True(filtered.ExitCode == 0, filtered.ToString());
            Assert.Equal(EACCES, filtered.Errno(getpid));
            Assert.Equal(77, filtered.Errno(getppid));
            Assert.Equal(0, filtered.Errno(getuid));
            Assert.Equal(0, filtered.Result(getuid));
            Assert.Equal(EACCES, filtered.Errno(mkdir));
            Assert.False(Directory.Exists(Path.Combine(directory, "made")));
            Assert.Equal(ENOSYS, filtered.Errno(newer));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(SeccompProgramTests.Comparisons), MemberType = typeof(SeccompProgramTests))]
    public async Task Each_comparison_decides_per_argument_value_in_the_kernel(string op, ulong value, ulong valueTwo)
    {
        // getppid ignores its arguments, so whether it fails says what the filter decided for the value in arg 4.
        var program = SeccompProgram.Compile(SeccompProgramTests.ArgumentProfile(op, value, valueTwo, 4));
        var probes = SeccompProgramTests.Probes(value).Distinct().ToArray();
        var operations = probes.Select(arg => $"nr:{Nr("getppid")}:0:0:0:0:0x{arg:x}").ToArray();

        var run = await loader.RunAsync(program, operations);

        Assert.True(run.ExitCode == 0, run.ToString());
        for (var i = 0; i < probes.Length; i++)
        {
            var expected = SeccompProgramTests.Holds(op, probes[i], value, valueTwo) ? 0 : 99;
            Assert.True(expected == run.Errno(operations[i]), $"{op} 0x{value:x}/0x{valueTwo:x} with argument 0x{probes[i]:x}: errno {run.Errno(operations[i])}, expected {expected}");
        }
    }

    [Fact]
    public async Task Personality_and_namespace_flags_are_limited_per_argument()
    {
        var program = Compile($$"""
            {"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{{LoaderNeeds}},
              {"names":["wait4"],"action":"SCMP_ACT_ALLOW"},
              {"names":["personality"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":0,"op":"SCMP_CMP_EQ"}]},
              {"names":["personality"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":4294967295,"op":"SCMP_CMP_EQ"}]},
              {"names":["clone","unshare"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":2114060288,"valueTwo":0,"op":"SCMP_CMP_MASKED_EQ"}]}]}
            """);
        var personalityQuery = $"nr:{Nr("personality")}:0xffffffff";
        var personalityLinux = $"nr:{Nr("personality")}:0";
        var personalityOther = $"nr:{Nr("personality")}:0x0400000";
        var unshareFiles = $"nr:{Nr("unshare")}:0x{CloneFiles:x}";
        var unshareUts = $"nr:{Nr("unshare")}:0x{CloneNewUts:x}";
        var fork = "fork:0";
        var forkUser = $"fork:0x{CloneNewUser:x}";
        // The persona changes only for the loader, which exits right after; the query comes first.
        string[] operations = [personalityQuery, personalityLinux, unshareFiles, unshareUts, fork, forkUser, personalityOther];

        var unfiltered = await loader.RunAsync(null, operations);
        var filtered = await loader.RunAsync(program, operations);

        Assert.True(unfiltered.ExitCode == 0, unfiltered.ToString());
        Assert.All(operations, operation => Assert.Equal(0, unfiltered.Errno(operation)));
        Assert.True(filtered.ExitCode == 0, filtered.ToString());
        Assert.Equal(0, filtered.Errno(personalityQuery));
        Assert.Equal(0, filtered.Errno(personalityLinux));
        Assert.Equal(EPERM, filtered.Errno(personalityOther));
        Assert.Equal(0, filtered.Errno(unshareFiles));
        Assert.Equal(EPERM, filtered.Errno(unshareUts));
        Assert.Equal(0, filtered.Errno(fork));
        Assert.Equal(EPERM, filtered.Errno(forkUser));
    }

    [Theory]
    [InlineData("SCMP_ACT_KILL_PROCESS")]
    [InlineData("SCMP_ACT_KILL_THREAD")]
    [InlineData("SCMP_ACT_KILL")]
    public async Task A_kill_action_ends_the_process_with_SIGSYS(string action)
    {
        var program = Compile($$"""{"defaultAction":"{{action}}","syscalls":[{{LoaderNeeds}},{"names":["getuid"],"action":"SCMP_ACT_ALLOW"}]}""");
        var getuid = $"nr:{Nr("getuid")}";
        var getpid = $"nr:{Nr("getpid")}";

        var run = await loader.RunAsync(program, getuid, getpid, getuid + ":1");

        Assert.True(run.KilledBySigsys, run.ToString());
        Assert.Equal(0, run.Errno(getuid));
        Assert.False(run.Ran(getpid));
        Assert.False(run.Ran(getuid + ":1"));
    }

    [Fact]
    public async Task Trap_raises_SIGSYS_trace_without_a_tracer_fails_with_ENOSYS_and_log_lets_through()
    {
        var program = Compile($$"""
            {"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{{LoaderNeeds}},
              {"names":["rt_sigaction","rt_sigreturn"],"action":"SCMP_ACT_ALLOW"},
              {"names":["getpid"],"action":"SCMP_ACT_TRAP"},
              {"names":["getppid"],"action":"SCMP_ACT_TRACE"},
              {"names":["getuid"],"action":"SCMP_ACT_LOG"}]}
            """);
        var getpid = $"nr:{Nr("getpid")}";
        var getppid = $"nr:{Nr("getppid")}";
        var getuid = $"nr:{Nr("getuid")}";

        var run = await loader.RunAsync(program, "trap", getpid, getppid, getuid);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"sigsys {Nr("getpid")}\n", run.Command.Stdout);
        Assert.Equal(ENOSYS, run.Errno(getppid));
        Assert.Equal(0, run.Errno(getuid));
    }

    [X64Fact]
    public async Task An_i386_or_x32_syscall_on_x86_64_kills_the_process()
    {
        // Even with SCMP_ARCH_X86 and SCMP_ARCH_X32 listed and an allowing default: only the native ABI gets through.
        var program = Compile("""{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X86","SCMP_ARCH_X32"]}""");
        const string I386Getpid = "i386:20";
        var x32Getpid = $"nr:0x{0x40000000 | Nr("getpid"):x}";
        var getpid = $"nr:{Nr("getpid")}";

        var unfiltered = await loader.RunAsync(null, getpid, I386Getpid);
        var i386 = await loader.RunAsync(program, getpid, I386Getpid);
        var x32 = await loader.RunAsync(program, getpid, x32Getpid);

        Assert.True(unfiltered.ExitCode == 0, unfiltered.ToString());
        Assert.Equal(unfiltered.Result(getpid), unfiltered.Result(I386Getpid));
        Assert.True(i386.KilledBySigsys, i386.ToString());
        Assert.True(i386.Result(getpid) > 0);
        Assert.False(i386.Ran(I386Getpid));
        Assert.True(x32.KilledBySigsys, x32.ToString());
        Assert.False(x32.Ran(x32Getpid));
    }

    [Fact]
    public async Task The_profile_flags_are_accepted_by_the_kernel()
    {
        var program = Compile($$"""
            {"defaultAction":"SCMP_ACT_ERRNO","flags":["SECCOMP_FILTER_FLAG_TSYNC","SECCOMP_FILTER_FLAG_LOG","SECCOMP_FILTER_FLAG_SPEC_ALLOW"],
             "syscalls":[{{LoaderNeeds}}]}
            """);
        var getpid = $"nr:{Nr("getpid")}";

        var run = await loader.RunAsync(program, getpid);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(EPERM, run.Errno(getpid));
    }

    [Fact]
    public async Task Containerds_default_profile_loads_and_programs_run_under_it()
    {
        var program = SeccompProgram.Compile(ContainerdProfile.Load());
        var unshare = $"nr:{Nr("unshare")}:0x{CloneNewUts:x}";
        var clone3 = $"nr:{Nr("clone3")}";

        var denied = await loader.RunAsync(program, unshare, clone3, $"fork:0x{CloneNewUser:x}", "fork:0");
        var shell = await loader.RunAsync(program, "exec:/bin/sh:-c:echo under the filter; ls / >/dev/null && cat /proc/self/status");
        var trueRun = await loader.RunAsync(program, "exec:/bin/true");

        Assert.True(denied.ExitCode == 0, denied.ToString());
        Assert.Equal(EPERM, denied.Errno(unshare));
        Assert.Equal(ENOSYS, denied.Errno(clone3));
        Assert.Equal(EPERM, denied.Errno($"fork:0x{CloneNewUser:x}"));
        Assert.Equal(0, denied.Errno("fork:0"));
        Assert.True(shell.ExitCode == 0, shell.ToString());
        Assert.StartsWith("under the filter\n", shell.Command.Stdout);
        Assert.Matches(@"\nSeccomp:\s+2\n", shell.Command.Stdout);
        Assert.True(trueRun.ExitCode == 0, trueRun.ToString());
    }

    [Fact]
    public void Install_filters_the_calling_thread_and_no_other()
    {
        var program = Compile("""{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["getppid"],"action":"SCMP_ACT_ERRNO","errnoRet":77}]}""");
        var getppid = Nr("getppid");
        (long Result, int Errno) filtered = default;
        Exception? failure = null;

        // A thread of its own, which ends with its filter: setting no_new_privs and the filter are both per thread.
        var thread = new Thread(() =>
        {
            try
            {
                Assert.Equal(0, prctl(PrSetNoNewPrivs, 1, 0, 0, 0));
                program.Install();
                var result = syscall(getppid);
                filtered = (result, Marshal.GetLastPInvokeError());
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        var here = syscall(getppid);

        Assert.Null(failure);
        Assert.Equal((-1L, 77), filtered);
        Assert.Equal(ParentOf(Environment.ProcessId), here);
    }

    private const int PrSetNoNewPrivs = 38;

    private static int ParentOf(int pid) =>
        int.Parse(File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

    [LibraryImport("libc", SetLastError = true)]
    private static partial long syscall(long number);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);

    /// <summary>A fact about the i386 and x32 ABIs, which only x86_64 has.</summary>
    private sealed class X64FactAttribute : FactAttribute
    {
        public X64FactAttribute()
        {
            if (RuntimeInformation.ProcessArchitecture != Architecture.X64)
            {
                Skip = "the i386 and x32 ABIs exist on x86_64 only";
            }
        }
    }
}

using WasmKube.Wasi.Abi;

namespace WasmKube.Wasi.Tests;

public sealed class ArgsEnvironClockTests
{
    [Fact]
    public void Args_are_laid_out_as_nul_terminated_strings_with_pointers()
    {
        using var guest = new GuestHarness(new WasiConfiguration().WithArgs("prog", "-f", "héllo"));
        var count = guest.Alloc(4);
        var size = guest.Alloc(4);
        Assert.Equal(Errno.Success, guest.Wasi.ArgsSizesGet(guest.Memory, count, size));
        Assert.Equal(3u, guest.U32(count));
        Assert.Equal((uint)("prog".Length + 1 + "-f".Length + 1 + "héllo"u8.Length + 1), guest.U32(size));

        var argv = guest.Alloc(12);
        var buffer = guest.Alloc((int)guest.U32(size));
        Assert.Equal(Errno.Success, guest.Wasi.ArgsGet(guest.Memory, argv, buffer));
        var third = (int)guest.U32(argv + 8);
        Assert.Equal((uint)buffer, guest.U32(argv));
        Assert.Equal("héllo", guest.Text(third, "héllo"u8.Length));
        Assert.Equal(0, guest.Memory[third + "héllo"u8.Length]);
    }

    [Fact]
    public void Nothing_of_the_host_environment_is_visible_by_default()
    {
        Assert.NotEmpty(Environment.GetEnvironmentVariables().Keys);
        using var guest = new GuestHarness(new WasiConfiguration());
        var count = guest.Alloc(4);
        var size = guest.Alloc(4);
        Assert.Equal(Errno.Success, guest.Wasi.EnvironSizesGet(guest.Memory, count, size));
        Assert.Equal(0u, guest.U32(count));
        Assert.Equal(0u, guest.U32(size));
        Assert.Equal(Errno.Success, guest.Wasi.ArgsSizesGet(guest.Memory, count, size));
        Assert.Equal(0u, guest.U32(count));
    }

    [Fact]
    public void Given_environment_variables_are_visible_as_name_equals_value()
    {
        using var guest = new GuestHarness(new WasiConfiguration().WithEnvironment("A", "1").WithEnvironment("GREETING", "hi=there"));
        var count = guest.Alloc(4);
        var size = guest.Alloc(4);
        guest.Wasi.EnvironSizesGet(guest.Memory, count, size);
        var environ = guest.Alloc(8);
        var buffer = guest.Alloc((int)guest.U32(size));
        Assert.Equal(Errno.Success, guest.Wasi.EnvironGet(guest.Memory, environ, buffer));
        Assert.Equal(2u, guest.U32(count));
        Assert.Equal("A=1", guest.Text((int)guest.U32(environ), 3));
        Assert.Equal("GREETING=hi=there", guest.Text((int)guest.U32(environ + 4), 17));
    }

    [Theory]
    [InlineData("")]
    [InlineData("A=B")]
    [InlineData("A\0")]
    public void Invalid_environment_names_are_rejected(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => new WasiConfiguration().WithEnvironment(name, "x"));
        Assert.Contains("name", error.Message);
    }

    [Fact]
    public void Realtime_clock_matches_the_host_clock()
    {
        using var guest = new GuestHarness(new WasiConfiguration());
        var time = guest.Alloc(8);
        Assert.Equal(Errno.Success, guest.Wasi.ClockTimeGet(guest.Memory, 0, 1, time));
        var guestNow = DateTimeOffset.FromUnixTimeMilliseconds((long)(guest.U64(time) / 1_000_000));
        Assert.InRange(guestNow, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public void Monotonic_clock_never_goes_back_and_hides_host_uptime()
    {
        using var guest = new GuestHarness(new WasiConfiguration());
        var time = guest.Alloc(8);
        guest.Wasi.ClockTimeGet(guest.Memory, 1, 1, time);
        var first = guest.U64(time);
        Thread.Sleep(5);
        guest.Wasi.ClockTimeGet(guest.Memory, 1, 1, time);
        Assert.True(guest.U64(time) > first);
        Assert.True(first < (ulong)TimeSpan.FromMinutes(5).Ticks * 100, "the monotonic clock should start near zero for the guest");
    }

    [Fact]
    public void Cpu_clocks_and_resolutions_are_available_and_unknown_clocks_are_invalid()
    {
        using var guest = new GuestHarness(new WasiConfiguration());
        var value = guest.Alloc(8);
        for (var clock = 0; clock <= 3; clock++)
        {
            Assert.Equal(Errno.Success, guest.Wasi.ClockResGet(guest.Memory, clock, value));
            Assert.True(guest.U64(value) > 0);
            Assert.Equal(Errno.Success, guest.Wasi.ClockTimeGet(guest.Memory, clock, 1, value));
        }

        Assert.Equal(Errno.Inval, guest.Wasi.ClockTimeGet(guest.Memory, 4, 1, value));
        Assert.Equal(Errno.Inval, guest.Wasi.ClockResGet(guest.Memory, 99, value));
    }

    [Fact]
    public void Random_get_fills_the_buffer_with_fresh_bytes()
    {
        using var guest = new GuestHarness(new WasiConfiguration());
        var a = guest.Alloc(64);
        var b = guest.Alloc(64);
        Assert.Equal(Errno.Success, guest.Wasi.RandomGet(guest.Memory, a, 64));
        Assert.Equal(Errno.Success, guest.Wasi.RandomGet(guest.Memory, b, 64));
        Assert.False(guest.Memory.AsSpan(a, 64).SequenceEqual(guest.Memory.AsSpan(b, 64)));
        Assert.Contains(guest.Memory.AsSpan(a, 64).ToArray(), x => x != 0);
    }

    [Fact]
    public void Proc_exit_ends_the_guest_with_its_code()
    {
        using var guest = new GuestHarness(new WasiConfiguration());
        var exit = Assert.Throws<WasiExitException>(() => guest.Wasi.ProcExit(42));
        Assert.Equal(42, exit.ExitCode);
    }

    [Fact]
    public void Proc_raise_is_not_supported_and_sched_yield_succeeds()
    {
        using var guest = new GuestHarness(new WasiConfiguration());
        Assert.Equal(Errno.NotSup, guest.Wasi.ProcRaise(6));
        Assert.Equal(Errno.Success, guest.Wasi.SchedYield());
    }

    [Fact]
    public void A_pointer_outside_memory_traps_as_an_out_of_bounds_access()
    {
        using var guest = new GuestHarness(new WasiConfiguration().WithArgs("x"));
        var trap = Assert.Throws<WasiTrapException>(() => guest.Wasi.ArgsSizesGet(guest.Memory, guest.Memory.Length - 2, 0));
        Assert.Equal(WasiTrapKind.MemoryOutOfBounds, trap.Kind);
        Assert.Throws<WasiTrapException>(() => guest.Wasi.RandomGet(guest.Memory, guest.Memory.Length - 10, 11));
    }

    [Fact]
    public void Every_preview1_function_is_defined()
    {
        var names = WasiImports.All.Select(i => i.Name).ToList();
        Assert.Equal(46, names.Count);
        Assert.Equal(46, names.Distinct().Count());
        var methods = typeof(WasiPreview1).GetMethods().Select(m => m.Name).ToHashSet();
        foreach (var name in names)
        {
            var pascal = string.Concat(name.Split('_').Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
            Assert.Contains(pascal, methods);
        }
    }
}

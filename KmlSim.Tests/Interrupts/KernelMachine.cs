using Iced.Intel;
using KmlSim.Execution;
using KmlSim.Interrupts;
using KmlSim.Isa;
using KmlSim.Memory;

namespace KmlSim.Tests.Interrupts;

/// <summary>
/// A <see cref="SnippetMachine"/> with Linux-style system tables (GDT, TSS, IDT) installed, a kernel stack
/// (RSP0), two IST stacks and a user stack, where tests place kernel handlers and kernel or user code.
/// Handlers are usually one HLT: a gate clears IF, so HLT ends the run and the frame can be read at RSP.
/// </summary>
internal sealed class KernelMachine
{
    public const ulong TablesBase = 0x20_0000;
    public const ulong KernelStackTop = 0x30_0000;
    public const ulong Ist1Top = 0x31_0000;
    public const ulong Ist2Top = 0x32_0000;
    public const ulong UserStackTop = 0x50_0000;
    public const ulong KernelCode = 0x10_0000;
    public const ulong UserCode = 0x40_0000;

    private ulong nextHandler = 0x18_0000;

    public KernelMachine()
    {
        Machine.Map(KernelStackTop - 0x4000, 0x4000, PageFlags.Writable);
        Machine.Map(Ist1Top - 0x1000, 0x1000, PageFlags.Writable);
        Machine.Map(Ist2Top - 0x1000, 0x1000, PageFlags.Writable);
        Machine.Map(UserStackTop - 0x4000, 0x4000, PageFlags.Writable | PageFlags.User);
        Tables.Rsp0 = KernelStackTop;
        Tables.SetInterruptStack(1, Ist1Top);
        Tables.SetInterruptStack(2, Ist2Top);
        Machine.InstallSystemTables(Tables);
    }

    public SnippetMachine Machine { get; } = new();

    public Cpu Cpu => Machine.Cpu;

    public SystemTables Tables { get; } = new(TablesBase);

    /// <summary>Assembles a kernel handler on its own supervisor page and returns its address.</summary>
    public ulong Handler(Action<Assembler> build)
    {
        ulong address = nextHandler;
        nextHandler += 0x1000;
        ulong rip = Cpu.Rip;
        Machine.LoadCode(address, build, PageFlags.None);
        Cpu.Rip = rip;
        return address;
    }

    /// <summary>A handler that stops the run (HLT with IF cleared by the interrupt gate).</summary>
    public ulong StopHandler() => Handler(a => a.hlt());

    /// <summary>Installs a gate in the IDT and reloads the tables.</summary>
    public void Gate(byte vector, ulong handler, int dpl = 0, int ist = 0, bool trap = false)
    {
        Tables.SetGate(vector, handler, dpl, ist, trap);
        Machine.InstallSystemTables(Tables);
    }

    /// <summary>Installs <see cref="StopHandler"/> for a vector.</summary>
    public ulong StopOn(ExceptionVector vector, int ist = 0)
    {
        ulong handler = StopHandler();
        Gate((byte)vector, handler, ist: ist);
        return handler;
    }

    /// <summary>Kernel code at CPL 0 on the kernel stack (RSP0 - 0x100), IF as given.</summary>
    public byte[] Kernel(Action<Assembler> build, bool interruptsEnabled = false)
    {
        byte[] code = Machine.LoadCode(KernelCode, build, PageFlags.None);
        Cpu.Cpl = 0;
        Cpu.Selectors[1] = SystemTables.KernelCode;
        Cpu.Selectors[2] = SystemTables.KernelData;
        Cpu.SetRegister(Gpr.Rsp, KernelStackTop - 0x100);
        Cpu.Rflags = RFlags.Reserved1 | (interruptsEnabled ? RFlags.IF : 0);
        return code;
    }

    /// <summary>User code at CPL 3 on the user stack, IF = 1 (as Linux runs user code).</summary>
    public byte[] User(Action<Assembler> build)
    {
        byte[] code = Machine.LoadCode(UserCode, build, PageFlags.User);
        Cpu.Cpl = 3;
        Cpu.Selectors[1] = SystemTables.UserCode;
        Cpu.Selectors[2] = SystemTables.UserData;
        Cpu.SetRegister(Gpr.Rsp, UserStackTop - 0x100);
        Cpu.Rflags = RFlags.Reserved1 | RFlags.IF;
        return code;
    }

    /// <summary>The qwords at the current RSP (the interrupt frame when a handler stopped the run).</summary>
    public ulong[] Frame(int count = 6)
    {
        byte[] bytes = Machine.Peek(Cpu.GetRegister(Gpr.Rsp), count * 8);
        var frame = new ulong[count];
        for (int i = 0; i < count; i++)
        {
            frame[i] = BitConverter.ToUInt64(bytes, i * 8);
        }

        return frame;
    }
}

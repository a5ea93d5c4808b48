using Iced.Intel;
using KmlSim.Execution;
using KmlSim.Interrupts;
using KmlSim.Memory;

namespace KmlSim;

/// <summary>
/// The small-scale entry for unit research and tests: a CPU with its own address space, where code
/// assembled with Iced's <see cref="Assembler"/> runs at a chosen privilege with chosen registers, and
/// whose state is read back afterwards. No kernel runs: faults stop the run (<see cref="StopReason.Fault"/>)
/// unless system tables are installed (<see cref="InstallSystemTables"/>), which makes the CPU deliver them
/// through the IDT to handlers the test provides. It is also the bare hardware under a process in
/// syscall-emulation mode (see <see cref="Machine"/>).
/// </summary>
public sealed class SnippetMachine
{
    /// <summary>Creates a machine with the given physical memory size.</summary>
    public SnippetMachine(ulong memoryBytes = 64UL << 20)
    {
        Memory = new PhysicalMemory(memoryBytes);
        Cpu = new Cpu(Memory);
        AddressSpace = new AddressSpace(Memory);
        Cpu.Mmu.Cr3 = AddressSpace.Cr3;
        Cpu.Cpl = 3;
    }

    /// <summary>Physical memory.</summary>
    public PhysicalMemory Memory { get; }

    /// <summary>The CPU (registers, flags, MSRs).</summary>
    public Cpu Cpu { get; }

    /// <summary>The page tables the CPU uses.</summary>
    public AddressSpace AddressSpace { get; }

    /// <summary>Maps zeroed pages covering <c>[address, address + length)</c> (already mapped pages are kept).</summary>
    public void Map(ulong address, ulong length, PageFlags flags)
    {
        for (ulong page = address & ~0xFFFUL; page < address + length; page += 4096)
        {
            if (AddressSpace.FrameOf(page) is null)
            {
                AddressSpace.MapNew(page, flags);
            }
            else
            {
                AddressSpace.Protect(page, flags);
            }
        }

        Cpu.Mmu.FlushAll();
    }

    /// <summary>Writes bytes into mapped memory, bypassing page permissions (as a loader would).</summary>
    public void Poke(ulong address, ReadOnlySpan<byte> bytes) => AddressSpace.Write(address, bytes);

    /// <summary>Reads bytes from mapped memory, bypassing page permissions.</summary>
    public byte[] Peek(ulong address, int length)
    {
        var bytes = new byte[length];
        AddressSpace.Read(address, bytes);
        return bytes;
    }

    /// <summary>Assembles with Iced at <paramref name="address"/>, maps the code executable and sets RIP to it.</summary>
    public byte[] LoadCode(ulong address, Action<Assembler> build, PageFlags flags = PageFlags.User)
    {
        var assembler = new Assembler(64);
        build(assembler);
        var writer = new Decoding.ByteCodeWriter();
        assembler.Assemble(writer, address);
        byte[] code = writer.ToArray();
        LoadCode(address, code, flags);
        return code;
    }

    /// <summary>Maps raw code bytes at <paramref name="address"/> and sets RIP to it.</summary>
    public void LoadCode(ulong address, ReadOnlySpan<byte> code, PageFlags flags = PageFlags.User)
    {
        Map(address, (ulong)Math.Max(code.Length, 1), flags & ~PageFlags.NoExecute);
        Poke(address, code);
        Cpu.Rip = address;
    }

    /// <summary>
    /// Maps supervisor pages for <paramref name="tables"/>, writes their image and loads them (GDTR, IDTR,
    /// TR, STAR, SFMASK, EFER.SCE), so that exceptions and interrupts are delivered through the IDT. Call it
    /// again after changing a gate or a stack pointer.
    /// </summary>
    public void InstallSystemTables(SystemTables tables)
    {
        Map(tables.BaseAddress, SystemTables.Size, PageFlags.Writable);
        Poke(tables.BaseAddress, tables.Image());
        tables.Load(Cpu);
    }

    /// <summary>Runs until a stop (HLT, a fault, the limit).</summary>
    public StopReason Run(long maxInstructions = 1_000_000) => Cpu.Run(maxInstructions);
}

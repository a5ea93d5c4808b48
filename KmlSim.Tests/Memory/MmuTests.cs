using KmlSim.Interrupts;
using KmlSim.Memory;

namespace KmlSim.Tests.Memory;

/// <summary>
/// The page walk and its faults, against AMD64 APM vol. 2 §5 (paging) and §8.4.2 (#PF error code:
/// P = 1, W/R = 2, U/S = 4, RSV = 8, I/D = 16).
/// </summary>
public class MmuTests
{
    private const ulong Page = 0x40_0000;

    private static (PhysicalMemory Memory, AddressSpace Space, Mmu Mmu) Setup()
    {
        var memory = new PhysicalMemory(16UL << 20);
        var space = new AddressSpace(memory);
        var mmu = new Mmu(memory) { Cr3 = space.Cr3 };
        return (memory, space, mmu);
    }

    private static GuestFaultException FaultOf(TestDelegate access)
    {
        var fault = Assert.Throws<GuestFaultException>(access)!;
        return fault;
    }

    [Test]
    public void NotPresentReadAtCpl3HasOnlyTheUserBit()
    {
        var (_, _, mmu) = Setup();
        mmu.UserMode = true;
        var fault = FaultOf(() => mmu.Read64(Page + 8));
        Assert.Multiple(() =>
        {
            Assert.That(fault.Vector, Is.EqualTo(ExceptionVector.PageFault));
            Assert.That(fault.ErrorCode, Is.EqualTo(PageFaultErrorCode.User));
            Assert.That(fault.FaultAddress, Is.EqualTo(Page + 8));
        });
    }

    [Test]
    public void WriteToReadOnlyPageIsAProtectionFaultWithTheWriteBit()
    {
        var (_, space, mmu) = Setup();
        space.MapNew(Page, PageFlags.User);
        mmu.UserMode = true;
        Assert.That(mmu.Read64(Page), Is.EqualTo(0));
        var fault = FaultOf(() => mmu.Write32(Page + 4, 1));
        Assert.That(fault.ErrorCode, Is.EqualTo(PageFaultErrorCode.Present | PageFaultErrorCode.Write | PageFaultErrorCode.User));
    }

    [Test]
    public void UserAccessToSupervisorPageFaults()
    {
        var (_, space, mmu) = Setup();
        space.MapNew(Page, PageFlags.Writable);
        mmu.UserMode = false;
        mmu.Write8(Page, 1);
        mmu.UserMode = true;
        var fault = FaultOf(() => mmu.Read8(Page));
        Assert.That(fault.ErrorCode, Is.EqualTo(PageFaultErrorCode.Present | PageFaultErrorCode.User));
    }

    [Test]
    public void SupervisorWriteToReadOnlyPageDependsOnCr0Wp()
    {
        var (_, space, mmu) = Setup();
        space.MapNew(Page, PageFlags.User);
        mmu.UserMode = false;
        var fault = FaultOf(() => mmu.Write8(Page, 1));
        Assert.That(fault.ErrorCode, Is.EqualTo(PageFaultErrorCode.Present | PageFaultErrorCode.Write));
        mmu.WriteProtect = false;
        mmu.FlushAll();
        mmu.Write8(Page, 7);
        Assert.That(mmu.Read8(Page), Is.EqualTo(7));
    }

    [Test]
    public void FetchFromNoExecutePageSetsTheInstructionBit()
    {
        var (_, space, mmu) = Setup();
        space.MapNew(Page, PageFlags.User | PageFlags.NoExecute);
        mmu.UserMode = true;
        var fault = FaultOf(() => mmu.Translate(Page, AccessKind.Fetch, userAccess: true));
        Assert.That(fault.ErrorCode, Is.EqualTo(PageFaultErrorCode.Present | PageFaultErrorCode.User | PageFaultErrorCode.InstructionFetch));
    }

    [Test]
    public void NonCanonicalAddressRaisesGeneralProtection()
    {
        var (_, _, mmu) = Setup();
        var fault = FaultOf(() => mmu.Read64(0x0000_8000_0000_0000));
        Assert.Multiple(() =>
        {
            Assert.That(fault.Vector, Is.EqualTo(ExceptionVector.GeneralProtection));
            Assert.That(Mmu.IsCanonical(0xFFFF_8000_0000_0000), Is.True);
            Assert.That(Mmu.IsCanonical(0x0000_7FFF_FFFF_FFFF), Is.True);
        });
    }

    [Test]
    public void WalkSetsAccessedAndDirtyBits()
    {
        var (memory, space, mmu) = Setup();
        space.MapNew(Page, PageFlags.User | PageFlags.Writable);
        ulong pte() => PteOf(memory, space, Page);
        Assert.That(pte() & (PageTableEntry.Accessed | PageTableEntry.Dirty), Is.EqualTo(0));
        mmu.Read8(Page);
        Assert.That(pte() & (PageTableEntry.Accessed | PageTableEntry.Dirty), Is.EqualTo(PageTableEntry.Accessed));
        mmu.Write8(Page, 1);
        Assert.That(pte() & PageTableEntry.Dirty, Is.EqualTo(PageTableEntry.Dirty));
    }

    [Test]
    public void TwoMegabytePageTranslatesTheLow21Bits()
    {
        var (memory, space, mmu) = Setup();
        const ulong firstPfn = 0x400; // 4 MiB physical, 2 MiB aligned
        space.MapLarge(0x20_0000_0000, firstPfn, PageFlags.Writable);
        ulong pa = mmu.Translate(0x20_0012_3456, AccessKind.Read, userAccess: false);
        Assert.That(pa, Is.EqualTo((firstPfn << 12) + 0x12_3456));
        mmu.Write32(0x20_0000_0FFE, 0xAABBCCDD); // inside the large page, across a 4 KiB frame boundary
        Assert.That(memory.Frame(firstPfn)[0xFFE], Is.EqualTo(0xDD));
        Assert.That(memory.Frame(firstPfn + 1)[1], Is.EqualTo(0xAA));
    }

    [Test]
    public void WriteCrossingIntoAnUnmappedPageChangesNothing()
    {
        var (memory, space, mmu) = Setup();
        ulong pfn = space.MapNew(Page, PageFlags.Writable);
        var fault = FaultOf(() => mmu.Write64(Page + 0xFFC, ulong.MaxValue));
        Assert.Multiple(() =>
        {
            Assert.That(fault.FaultAddress, Is.EqualTo(Page + 0x1000));
            Assert.That(memory.Frame(pfn)[0xFFC..].All(b => b == 0), Is.True);
        });
    }

    [Test]
    public void Cr3WriteDropsStaleTranslations()
    {
        var (memory, space, mmu) = Setup();
        space.MapNew(Page, PageFlags.Writable);
        mmu.Write8(Page, 1);
        Assert.That(mmu.Read8(Page), Is.EqualTo(1));
        space.Unmap(Page);
        Assert.That(mmu.Read8(Page), Is.EqualTo(1)); // a stale TLB entry is architecturally allowed
        mmu.Cr3 = space.Cr3;
        Assert.Throws<GuestFaultException>(() => mmu.Read8(Page));
    }

    private static ulong PteOf(PhysicalMemory memory, AddressSpace space, ulong linear)
    {
        ulong table = space.Cr3;
        for (int level = 3; level > 0; level--)
        {
            table = memory.ReadPhys64(table + (((linear >> (12 + (9 * level))) & 511) * 8)) & PageTableEntry.AddressMask;
        }

        return memory.ReadPhys64(table + (((linear >> 12) & 511) * 8));
    }

    [Test]
    public void EntryPointingBeyondInstalledMemoryIsAReservedBitFault()
    {
        var (memory, space, mmu) = Setup();
        space.MapNew(Page, PageFlags.Writable);
        ulong table = space.Cr3;
        for (int level = 3; level > 0; level--)
        {
            table = memory.ReadPhys64(table + (((Page >> (12 + (9 * level))) & 511) * 8)) & PageTableEntry.AddressMask;
        }

        memory.WritePhys64(table + (((Page >> 12) & 511) * 8), (memory.SizeBytes + 0x1000) | PageTableEntry.Present | PageTableEntry.Writable);
        mmu.FlushAll();
        var fault = FaultOf(() => mmu.Read8(Page));
        Assert.That(fault.ErrorCode, Is.EqualTo(PageFaultErrorCode.Present | PageFaultErrorCode.Reserved));
    }
}

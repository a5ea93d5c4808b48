namespace KmlSim.Isa;

/// <summary>GDTR or IDTR: the linear base and the limit (last valid byte offset) of a descriptor table.</summary>
/// <param name="Base">Linear address of the table.</param>
/// <param name="Limit">Offset of the table's last byte; an empty register (limit 0) means "not loaded".</param>
public readonly record struct DescriptorTableRegister(ulong Base, ushort Limit);

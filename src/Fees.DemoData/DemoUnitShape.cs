namespace Fees.DemoData;

/// <summary>
/// The shape of a committee directly under the Central Committee (341-QĐ/TW, 23/7/2025; research/fee-rules.md §6):
/// the 34 provinces and cities, and the central-level committees, which have no communes.
/// </summary>
public enum DemoUnitShape
{
    /// <summary>A province or centrally run city: commune committees, provincial agencies, armed forces, enterprises.</summary>
    Province,

    /// <summary>Đảng ủy các cơ quan Đảng Trung ương: the Party's central agencies, its press and academies.</summary>
    PartyAgencies,

    /// <summary>Đảng ủy Chính phủ: ministries (each an upper committee over its departments and units) and state groups.</summary>
    Government,

    /// <summary>Đảng ủy Quốc hội: the National Assembly's offices, the State Audit, the courts and procuracy.</summary>
    Assembly,

    /// <summary>Đảng ủy Mặt trận Tổ quốc và các đoàn thể Trung ương.</summary>
    Front,

    /// <summary>Quân ủy Trung ương: military regions, corps, services, each an upper committee over armed units.</summary>
    Army,

    /// <summary>Đảng ủy Công an Trung ương: the Ministry's commands and departments over police units.</summary>
    Police,
}

using FakeBank.Tests.Infrastructure;

namespace FakeBank.Tests;

/// <summary>
/// Anchors the tests' Casso signer to Casso's own published sample (CassoHQ/casso-webhook-v2-verify-signature: the
/// same data, checksum key and header in each language). Every Casso signature check in these tests leans on it.
/// </summary>
public class CassoPublishedVectorTests
{
    private const string ChecksumKey = "mgExMrjj4i7a1p8Cs6LmFbpCd8lbw4sSX4LZXPag7TKazeIogtR90tvWYTkwQbvs";
    private const string Header = "t=1727948258788,v1=ed0a4bd2e826d5cb69988cdb141e6c1a080e21f3b57eb72cd78192220042b9e7dde0868fc667faea8e224900fa7904e7c88dfa098032fb2d6b6996856e8b7ff3";

    private const string Data = """
        {"id":0,"reference":"MA_GIAO_DICH_THU_NGHIEM","description":"giao dich thu nghiem","amount":599000,
         "runningBalance":25000000,"transactionDateTime":"2024-10-03 15:06:37","accountNumber":"88888888",
         "bankName":"VPBank","bankAbbreviation":"VPB","virtualAccountNumber":"","virtualAccountName":"",
         "counterAccountName":"NGUYEN VAN A","counterAccountNumber":"8888888888","counterAccountBankId":"970415",
         "counterAccountBankName":"VietinBank"}
        """;

    [Fact]
    public void CassoSample_IsReproduced_WhenTheWholeBodyIsSigned()
    {
        var (t, v1) = IndependentSigner.ParseCassoHeader(Header);

        string signed = IndependentSigner.CassoV1(ChecksumKey, t, "{\"error\":0,\"data\":" + Data + "}");

        Assert.Equal(v1, signed);
    }

    [Fact]
    public void CassoSample_IsNotReproduced_WhenOnlyDataIsSigned()
    {
        // The research notes read the recipe as "JSON(data)"; Casso's sample signs the whole body ({"data":…,"error":0}).
        var (t, v1) = IndependentSigner.ParseCassoHeader(Header);

        Assert.NotEqual(v1, IndependentSigner.CassoV1(ChecksumKey, t, Data));
    }
}

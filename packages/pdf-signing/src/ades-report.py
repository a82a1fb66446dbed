# pyHanko's long-term (AdES LTA, ETSI EN 319 102-1) verdict on every signature of a PDF, as JSON lines: the AdES
# indication itself, not the `adesverify` command's summary, which pyHanko (0.38) does not update after validating a
# signature timestamp in the past ("TODO update pyHanko status object" in pyhanko/sign/validation/ades.py), so an
# expired but proven timestamp shows as untrusted there. Revocation data is required for every certificate.
# Run with the project venv's python: ades-report.py PDF ROOT.pem [ROOT.pem ...] [--at ISO-8601]
import asyncio
import json
import sys

from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils.misc import isoparse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY
from pyhanko.sign.validation.ades import ades_lta_validation
from pyhanko.sign.validation.policy_decl import PdfSignatureValidationSpec, SignatureValidationSpec
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.ltv.types import ValidationTimingInfo
from pyhanko_certvalidator.policy_decl import REQUIRE_REVINFO, CertRevTrustPolicy, FreshnessReqType
from pyhanko_certvalidator.registry import SimpleTrustManager


def main(argv):
    at = None
    if '--at' in argv:
        i = argv.index('--at')
        at = isoparse(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    pdf, roots = argv[0], argv[1:]
    policy = CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(trust_roots=list(load_certs_from_pemder(roots))),
        revinfo_policy=CertRevTrustPolicy(
            REQUIRE_REVINFO, freshness=None, freshness_req_type=FreshnessReqType.MAX_DIFF_REVOCATION_VALIDATION
        ),
    )
    spec = PdfSignatureValidationSpec(
        signature_validation_spec=SignatureValidationSpec(cert_validation_policy=policy),
        diff_policy=DEFAULT_DIFF_POLICY,
    )
    timing = ValidationTimingInfo(at, at, point_in_time_validation=True) if at else ValidationTimingInfo.now()
    with open(pdf, 'rb') as f:
        reader = PdfFileReader(f)
        for sig in reader.embedded_regular_signatures:
            result = asyncio.run(ades_lta_validation(sig, spec, timing_info=timing))
            evidence = result.oldest_evidence_record_timestamp
            print(json.dumps({
                'field': sig.field_name,
                'indication': result.ades_subindic.status.name,
                'subindication': result.ades_subindic.name,
                'oldestEvidenceRecord': evidence.isoformat() if evidence else None,
                'bestSignatureTime': result.best_signature_time.isoformat(),
            }))


if __name__ == '__main__':
    main(sys.argv[1:])

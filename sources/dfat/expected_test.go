package dfat

// wantIssues are the issues each real workbook gives, in order, with why:
//
//   - 2024: 3581's Date of Birth, "Approximately (30-35 years old)", holds
//     no date (it stays in remarks);
//   - dates of birth that are no date: "29 March" (no year), "23-Apr-68" and
//     "07/04/62" (two-digit years: no century is guessed), a Hijri date,
//     "10/061962", "/02/1961", "7/02/1950/11/1950 08/08/1945";
//   - IMO numbers in Additional Information of entities (ship owners and
//     managers) that fail the ship number check: IMO company numbers;
//   - 2026: 8631's IMO Number 9434980 fails its check digit (DFAT's typo);
//   - 2026: 3621h has no Type;
//   - 2026: 1228c prints the UN reference CDi.002, the rest of 1228 CDi.003;
//   - 2026: the three anomalies of reference groups: 8495 (an alias whose
//     primary row is missing), 8686 (two Primary Name rows), 8720 (no
//     Primary Name row).
var wantIssues = map[string][]string{
	"2024-12-17": {
		"regulation8_consolidated.xlsx:344:139: Date of Birth \"29 March\": not a date; kept as raw text",
		"regulation8_consolidated.xlsx:1301:483: Date of Birth \"23-Apr-68\": not a date; kept as raw text",
		"regulation8_consolidated.xlsx:2408:1254: Date of Birth \"24/06/1402 (Hijri Calendar)\": a Hijri calendar date, not converted; kept as raw text",
		"regulation8_consolidated.xlsx:3993:2704: Date of Birth \"07/04/62\": not a date; kept as raw text",
		"regulation8_consolidated.xlsx:4974:3164: IMO number \"IMO Number: 5342883\" fails the ship number check (IMO check digit is 3, want 1) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"regulation8_consolidated.xlsx:5347:3292: IMO number \"IMO 1556069\" fails the ship number check (IMO check digit is 9, want 8) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"regulation8_consolidated.xlsx:5710:3559: IMO number \"IMO number: 5571322\" fails the ship number check (IMO check digit is 2, want 7) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"regulation8_consolidated.xlsx:5712:3560: IMO number \"IMO number: 5963351\" fails the ship number check (IMO check digit is 1, want 0) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"regulation8_consolidated.xlsx:5713:3561: IMO number \"IMO number: 5787684\" fails the ship number check (IMO check digit is 4, want 9) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"regulation8_consolidated.xlsx:5717:3564: IMO number \"IMO number: 5936312\" fails the ship number check (IMO check digit is 2, want 9) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"regulation8_consolidated.xlsx:5718:3565: IMO number \"IMO number: 5676084\" fails the ship number check (IMO check digit is 4, want 6) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"regulation8_consolidated.xlsx:5721:3566: IMO number \"IMO number: 5985863\" fails the ship number check (IMO check digit is 3, want 5) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"regulation8_consolidated.xlsx:5722:3567: IMO number \"IMO number: 5954061\" fails the ship number check (IMO check digit is 1, want 2) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"regulation8_consolidated.xlsx:5723:3568: IMO number \"IMO number: 5145892\" fails the ship number check (IMO check digit is 2, want 3) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"regulation8_consolidated.xlsx:5726:3570: IMO number \"IMO number: 5982254\" fails the ship number check (IMO check digit is 4, want 3) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"regulation8_consolidated.xlsx:5727:3571: IMO number \"IMO number: 5988369\" fails the ship number check (IMO check digit is 9, want 2) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"regulation8_consolidated.xlsx:5730:3573: IMO number \"IMO number: 5878561\" fails the ship number check (IMO check digit is 1, want 7) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"regulation8_consolidated.xlsx:5736:3577: IMO number \"IMO number: 5905801\" fails the ship number check (IMO check digit is 1, want 3) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"regulation8_consolidated.xlsx:5737:3578: IMO number \"IMO number: 5987860\" fails the ship number check (IMO check digit is 0, want 3) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"regulation8_consolidated.xlsx:5746:3581: Date of Birth \"Approximately (30-35 years old)\" holds no date; kept in remarks",
		"regulation8_consolidated.xlsx:6863:6960: Date of Birth \"10/061962\": not a date; kept as raw text",
		"regulation8_consolidated.xlsx:9467:7964: IMO number \"IMO Identification Number: 6183435\" fails the ship number check (IMO check digit is 5, want 8) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"regulation8_consolidated.xlsx:9470:7965: IMO number \"IMO Identification Number: 6016988\" fails the ship number check (IMO check digit is 8, want 4) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"regulation8_consolidated.xlsx:9474:7966: IMO number \"IMO Identification Number: 6246853\" fails the ship number check (IMO check digit is 3, want 2) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
	},
	"2026-02-24": {
		"Australian_Sanctions_Consolidated_List.xlsx:2236:1228: reference 1228 prints 2 UN reference numbers: CDi.003 (1228, row 2233), CDi.002 (1228c, row 2236); all are kept",
		"Australian_Sanctions_Consolidated_List.xlsx:2517:1930: Date of Birth \"/02/1961\": not a date; kept as raw text",
		"Australian_Sanctions_Consolidated_List.xlsx:3654:2647: Date of Birth \"7/02/1950/11/1950 08/08/1945\": not a date; kept as raw text",
		"Australian_Sanctions_Consolidated_List.xlsx:4809:3164: IMO number \"IMO Number: 5342883\" fails the ship number check (IMO check digit is 3, want 1) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"Australian_Sanctions_Consolidated_List.xlsx:5184:3292: IMO number \"IMO 1556069\" fails the ship number check (IMO check digit is 9, want 8) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"Australian_Sanctions_Consolidated_List.xlsx:5547:3559: IMO number \"IMO number: 5571322\" fails the ship number check (IMO check digit is 2, want 7) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"Australian_Sanctions_Consolidated_List.xlsx:5549:3560: IMO number \"IMO number: 5963351\" fails the ship number check (IMO check digit is 1, want 0) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"Australian_Sanctions_Consolidated_List.xlsx:5550:3561: IMO number \"IMO number: 5787684\" fails the ship number check (IMO check digit is 4, want 9) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"Australian_Sanctions_Consolidated_List.xlsx:5554:3564: IMO number \"IMO number: 5936312\" fails the ship number check (IMO check digit is 2, want 9) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"Australian_Sanctions_Consolidated_List.xlsx:5555:3565: IMO number \"IMO number: 5676084\" fails the ship number check (IMO check digit is 4, want 6) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"Australian_Sanctions_Consolidated_List.xlsx:5558:3566: IMO number \"IMO number: 5985863\" fails the ship number check (IMO check digit is 3, want 5) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"Australian_Sanctions_Consolidated_List.xlsx:5559:3567: IMO number \"IMO number: 5954061\" fails the ship number check (IMO check digit is 1, want 2) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"Australian_Sanctions_Consolidated_List.xlsx:5560:3568: IMO number \"IMO number: 5145892\" fails the ship number check (IMO check digit is 2, want 3) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"Australian_Sanctions_Consolidated_List.xlsx:5563:3570: IMO number \"IMO number: 5982254\" fails the ship number check (IMO check digit is 4, want 3) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"Australian_Sanctions_Consolidated_List.xlsx:5564:3571: IMO number \"IMO number: 5988369\" fails the ship number check (IMO check digit is 9, want 2) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"Australian_Sanctions_Consolidated_List.xlsx:5567:3573: IMO number \"IMO number: 5878561\" fails the ship number check (IMO check digit is 1, want 7) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"Australian_Sanctions_Consolidated_List.xlsx:5573:3577: IMO number \"IMO number: 5905801\" fails the ship number check (IMO check digit is 1, want 3) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"Australian_Sanctions_Consolidated_List.xlsx:5574:3578: IMO number \"IMO number: 5987860\" fails the ship number check (IMO check digit is 0, want 3) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"Australian_Sanctions_Consolidated_List.xlsx:5726:3621h: Type empty; the group's \"Entity\" (row 5718) is used",
		"Australian_Sanctions_Consolidated_List.xlsx:6707:6960: Date of Birth \"10/061962\": not a date; kept as raw text",
		"Australian_Sanctions_Consolidated_List.xlsx:9316:7964: IMO number \"IMO Identification Number: 6183435\" fails the ship number check (IMO check digit is 5, want 8) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"Australian_Sanctions_Consolidated_List.xlsx:9319:7965: IMO number \"IMO Identification Number: 6016988\" fails the ship number check (IMO check digit is 8, want 4) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"Australian_Sanctions_Consolidated_List.xlsx:9323:7966: IMO number \"IMO Identification Number: 6246853\" fails the ship number check (IMO check digit is 3, want 2) on a party typed organization, not vessel: likely an IMO company number; kept, marked invalid",
		"Australian_Sanctions_Consolidated_List.xlsx:10412:8495: alias row of reference 8495 without its primary row (no row 8495): 8495b (row 10412) \"Yahya Husseini Panjaki\"; \"Yahya Husseini Panjaki\" (8495b) is taken as the name",
		"Australian_Sanctions_Consolidated_List.xlsx:10641:8631: IMO number \"9434980\" of a vessel is invalid (IMO check digit is 0, want 1); kept, marked invalid",
		"Australian_Sanctions_Consolidated_List.xlsx:10729:8686: reference 8686 has 2 Primary Name rows: 8686 (row 10728) \"Rubicon Center for Advanced Unmanned Technologies\", 8686a (row 10729) \"Rubicon Unit\"; the first is the name, the others are kept as aliases",
		"Australian_Sanctions_Consolidated_List.xlsx:10813:8720: reference 8720 has no Primary Name row (8720 (row 10813) \"Joint Stock Company Exi Bank\", 8720a (row 10814) \"EKSI BANK AO\"); \"Joint Stock Company Exi Bank\" (8720) is taken as the name",
	},
}

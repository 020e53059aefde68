// Every scenario, statically imported (runtimes without a file system load this list).
import type { Scenario } from "../scenario.ts";
import req01 from "./REQ-01.ts";
import req02 from "./REQ-02.ts";
import req03 from "./REQ-03.ts";
import req04 from "./REQ-04.ts";
import req05 from "./REQ-05.ts";
import req06 from "./REQ-06.ts";
import auth01 from "./AUTH-01.ts";
import auth02 from "./AUTH-02.ts";
import auth04 from "./AUTH-04.ts";
import auth05 from "./AUTH-05.ts";
import auth06 from "./AUTH-06.ts";
import auth07 from "./AUTH-07.ts";
import auth08 from "./AUTH-08.ts";
import auth09 from "./AUTH-09.ts";
import auth10 from "./AUTH-10.ts";
import auth11 from "./AUTH-11.ts";
import grant02 from "./GRANT-02.ts";
import grant03 from "./GRANT-03.ts";
import grant04 from "./GRANT-04.ts";
import grant05 from "./GRANT-05.ts";
import grant06 from "./GRANT-06.ts";
import grant07 from "./GRANT-07.ts";
import resp01 from "./RESP-01.ts";
import resp02 from "./RESP-02.ts";
import resp03 from "./RESP-03.ts";
import resp04 from "./RESP-04.ts";
import resp05 from "./RESP-05.ts";
import resp06 from "./RESP-06.ts";
import resp07 from "./RESP-07.ts";
import resp08 from "./RESP-08.ts";
import resp09 from "./RESP-09.ts";
import resp10 from "./RESP-10.ts";
import resp11 from "./RESP-11.ts";
import resp12 from "./RESP-12.ts";
import exp01 from "./EXP-01.ts";
import exp02 from "./EXP-02.ts";
import exp04 from "./EXP-04.ts";
import exp05 from "./EXP-05.ts";
import exp07 from "./EXP-07.ts";
import exp08 from "./EXP-08.ts";
import exp09 from "./EXP-09.ts";
import conc01 from "./CONC-01.ts";
import conc02 from "./CONC-02.ts";
import conc03 from "./CONC-03.ts";
import err01 from "./ERR-01.ts";
import err02 from "./ERR-02.ts";
import err03 from "./ERR-03.ts";
import err04 from "./ERR-04.ts";
import err05 from "./ERR-05.ts";
import err06 from "./ERR-06.ts";
import err07 from "./ERR-07.ts";
import err08 from "./ERR-08.ts";
import err09 from "./ERR-09.ts";
import err10 from "./ERR-10.ts";
import rs01 from "./RS-01.ts";
import rs02 from "./RS-02.ts";
import rs03 from "./RS-03.ts";
import rs04 from "./RS-04.ts";
import rs06 from "./RS-06.ts";
import rs07 from "./RS-07.ts";
import rs08 from "./RS-08.ts";
import sec01 from "./SEC-01.ts";
import sec02 from "./SEC-02.ts";
import sec04 from "./SEC-04.ts";
import sec05 from "./SEC-05.ts";
import sec07 from "./SEC-07.ts";
import sec08 from "./SEC-08.ts";
import sec09 from "./SEC-09.ts";
import fault01 from "./FAULT-01.ts";
import fault02 from "./FAULT-02.ts";
import fault03 from "./FAULT-03.ts";
import fault04 from "./FAULT-04.ts";
import fault05 from "./FAULT-05.ts";
import fault06 from "./FAULT-06.ts";

/** All scenarios, in catalogue order. */
export const scenarios: readonly Scenario[] = [
  req01,
  req02,
  req03,
  req04,
  req05,
  req06,
  auth01,
  auth02,
  auth04,
  auth05,
  auth06,
  auth07,
  auth08,
  auth09,
  auth10,
  auth11,
  grant02,
  grant03,
  grant04,
  grant05,
  grant06,
  grant07,
  resp01,
  resp02,
  resp03,
  resp04,
  resp05,
  resp06,
  resp07,
  resp08,
  resp09,
  resp10,
  resp11,
  resp12,
  exp01,
  exp02,
  exp04,
  exp05,
  exp07,
  exp08,
  exp09,
  conc01,
  conc02,
  conc03,
  err01,
  err02,
  err03,
  err04,
  err05,
  err06,
  err07,
  err08,
  err09,
  err10,
  rs01,
  rs02,
  rs03,
  rs04,
  rs06,
  rs07,
  rs08,
  sec01,
  sec02,
  sec04,
  sec05,
  sec07,
  sec08,
  sec09,
  fault01,
  fault02,
  fault03,
  fault04,
  fault05,
  fault06,
];

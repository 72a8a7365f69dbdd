// Must fail lint: lib/model never imports React or jsPsych.
import { useState } from "react";
import { initJsPsych } from "jspsych";

export const both = [useState, initJsPsych];
